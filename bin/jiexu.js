#!/usr/bin/env node
// Entry point for `npx jiexu …` and `npm start`. Sources are TypeScript, loaded through tsx.
import "reflect-metadata";
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
