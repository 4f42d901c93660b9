import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { HonoEnv } from "../../../src/http/env.ts";
import { Page, href, renderPage } from "../../../src/http/pages/layout.tsx";
import { createTestApp } from "../app-harness.ts";

describe("the page shell", () => {
  it("answers a doctype, the page headers, escaped text and a language switch that keeps the path", async () => {
    const app = new Hono<HonoEnv>();
    app.get("/p", (c) =>
      renderPage(
        c,
        <Page lang="zh" title="测试" self="/p?x=1">
          <p>{"张三<script>"}</p>
        </Page>,
      ),
    );
    const res = await app.request("/p");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toContain("script-src 'self'");
    const text = await res.text();
    expect(text.startsWith('<!DOCTYPE html><html lang="zh-CN">')).toBe(true);
    expect(text).toContain("张三&lt;script&gt;");
    expect(text).toContain('href="/p?x=1&amp;lang=en"');
    expect(href("en", "/track")).toBe("/track?lang=en");
  });

  it("serves the stylesheet from the gateway", async () => {
    const t = await createTestApp();
    const res = await t.call("GET", "/assets/site.css");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(await res.text()).toContain("header.site");
  });
});
