import { Hono } from "hono";
import type { HonoEnv } from "../env.ts";
import { consoleRouters } from "./console/index.ts";
import { home } from "./home.tsx";
import { SITE_CSS } from "./site-css.ts";
import { track } from "./track.tsx";
import { verifyPage } from "./verify.tsx";
import { verifyArchived } from "./verify-archived.tsx";

/** The stylesheet, cached by browsers for an hour (pages themselves are `no-store`). */
export const assets = new Hono<HonoEnv>();

assets.get("/assets/site.css", (c) => {
  c.header("content-type", "text/css; charset=utf-8");
  c.header("cache-control", "public, max-age=3600");
  c.header("x-content-type-options", "nosniff");
  return c.body(SITE_CSS);
});

/** The routers of the pages for people (issue 13), joined into the app after the API. */
export const pageRouters: Hono<HonoEnv>[] = [assets, home, track, verifyPage, verifyArchived, ...consoleRouters];
