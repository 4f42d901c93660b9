import { defineConfig } from "drizzle-kit";

/** drizzle-kit generates the SQL migrations under drizzle/ from the storage schema (`npx drizzle-kit generate`). */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/storage/schema.ts",
  out: "./drizzle",
});
