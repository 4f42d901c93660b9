import { consoleInbox } from "./inbox.tsx";
import { consoleLogin } from "./login.tsx";

/** The agency console (issue 13 item 4), one router per area; src/http/pages/index.ts joins them. */
export const consoleRouters = [consoleLogin, consoleInbox];
