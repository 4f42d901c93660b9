import { consoleCaseDetail } from "./case-detail.tsx";
import { consoleCases } from "./cases.tsx";
import { consoleDeliveries } from "./deliveries.tsx";
import { consoleDirectory } from "./directory.tsx";
import { consoleForms } from "./forms.tsx";
import { consoleInbox } from "./inbox.tsx";
import { consoleLogin } from "./login.tsx";
import { consolePrints } from "./prints.tsx";

/** The agency console (issue 13 item 4), one router per area; src/http/pages/index.ts joins them. */
export const consoleRouters = [
  consoleLogin,
  consoleInbox,
  consoleCases,
  consoleCaseDetail,
  consoleDeliveries,
  consoleDirectory,
  consoleForms,
  consolePrints,
];
