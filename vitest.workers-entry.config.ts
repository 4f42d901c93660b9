import { WORKER_ENTRY_FILES, workersProject } from "./vitest.workers.config.ts";

/** The Worker entry's files, each in a fresh isolate (why: vitest.workers.config.ts). */
export default workersProject("workers-entry", { include: WORKER_ENTRY_FILES }, true);
