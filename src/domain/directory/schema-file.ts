import directorySchema from "../../../schemas/directory.schema.json" with { type: "json" };

/** schemas/directory.schema.json, statically imported (no fs); validated by validator.generated.ts. */
export const DIRECTORY_SCHEMA: { $id: string; [keyword: string]: unknown } = directorySchema;
