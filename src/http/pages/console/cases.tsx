import { Hono } from "hono";
import { listCases, type CaseView } from "../../../usecases/index.ts";
import type { HonoEnv } from "../../env.ts";
import { href, tr, type Lang } from "../layout.tsx";
import { shanghaiTime } from "../public-edge.ts";
import { CASE_STATUSES, PRIORITY_REASONS, nameOf } from "./labels.ts";
import { ConsolePage, ErrorBox, WideTable, answerPage, isRefusal, toLogin, signedIn, type Signed } from "./shell.tsx";

/**
 * Cases (issue 13 item 4): this agency's cases, green-channel first, filtered by state, overdue and priority
 * or found by the person's 公民身份号码 (the list shows it masked), a page at a time.
 */
export const consoleCases = new Hono<HonoEnv>();

const ID_NUMBER = /^\d{17}[\dXx]$/;
const TRI = new Set(["true", "false"]);

interface Filters {
  state: string;
  overdue: string;
  priority: string;
  idNumber: string;
}

consoleCases.get("/console/cases", async (c) => {
  const signed = await signedIn(c);
  if (!signed) return toLogin(c);
  const q = c.req.query();
  const filters: Filters = {
    state: CASE_STATUSES[q.state ?? ""] ? q.state! : "",
    overdue: TRI.has(q.overdue ?? "") ? q.overdue! : "",
    priority: TRI.has(q.priority ?? "") ? q.priority! : "",
    idNumber: (q.idNumber ?? "").trim(),
  };
  const badId = filters.idNumber !== "" && !ID_NUMBER.test(filters.idNumber);
  let page: { cases: CaseView[]; next?: string } = { cases: [] };
  let error: unknown;
  if (!badId) {
    try {
      page = await listCases(c.var.gateway, signed.principal, {
        ...(filters.state ? { status: filters.state } : {}),
        ...(filters.overdue ? { overdue: filters.overdue === "true" } : {}),
        ...(filters.priority ? { priority: filters.priority === "true" } : {}),
        ...(filters.idNumber ? { idNumber: filters.idNumber } : {}),
        ...(q.after ? { after: q.after } : {}),
        limit: 25,
      });
    } catch (err) {
      if (!isRefusal(err)) throw err;
      error = err;
    }
  }
  const status = badId || error ? 400 : 200;
  return answerPage(c, <CasesPage signed={signed} filters={filters} page={page} badId={badId} error={error} />, status);
});

function filterQuery(filters: Filters, after?: string): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  if (after) params.set("after", after);
  const text = params.toString();
  return text ? `?${text}` : "";
}

function CasesPage(props: {
  signed: Signed;
  filters: Filters;
  page: { cases: CaseView[]; next?: string };
  badId: boolean;
  error: unknown;
}) {
  const { signed, filters, page } = props;
  const { lang } = signed;
  return (
    <ConsolePage signed={signed} title={tr(lang, "案件", "Cases")} self={`/console/cases${filterQuery(filters)}`}>
      <CaseFilters lang={lang} filters={filters} badId={props.badId} />
      {props.error ? <ErrorBox lang={lang} error={props.error} /> : null}
      {page.cases.length === 0 ? (
        <p class="card">{tr(lang, "没有符合条件的案件。", "No case matches.")}</p>
      ) : (
        <WideTable
          heads={[
            tr(lang, "案件编号", "Case"),
            tr(lang, "状态", "Status"),
            tr(lang, "参保人员", "Person"),
            tr(lang, "对方机构", "Counterpart"),
            tr(lang, "法定时限", "Legal deadline"),
          ]}
        >
          {page.cases.map((k) => (
            <CaseRow signed={signed} view={k} />
          ))}
        </WideTable>
      )}
      {page.next ? (
        <p>
          <a href={href(lang, `/console/cases${filterQuery(filters, page.next)}`)}>{tr(lang, "下一页", "Next page")}</a>
        </p>
      ) : null}
    </ConsolePage>
  );
}

function CaseFilters({ lang, filters, badId }: { lang: Lang; filters: Filters; badId: boolean }) {
  const tri = (name: "overdue" | "priority", yes: string, no: string) => (
    <select id={`f-${name}`} name={name}>
      <option value="">{tr(lang, "全部", "All")}</option>
      <option value="true" selected={filters[name] === "true"}>
        {yes}
      </option>
      <option value="false" selected={filters[name] === "false"}>
        {no}
      </option>
    </select>
  );
  return (
    <form method="get" action="/console/cases" class="card stack console-filters">
      {lang === "en" ? <input type="hidden" name="lang" value="en" /> : null}
      <label for="f-id">{tr(lang, "公民身份号码", "ID number")}</label>
      <input
        id="f-id"
        name="idNumber"
        value={filters.idNumber}
        inputmode="text"
        autocomplete="off"
        maxlength={18}
        aria-invalid={badId ? "true" : undefined}
        aria-describedby={badId ? "f-id-error" : undefined}
      />
      {badId ? (
        <p id="f-id-error" class="verdict bad" role="alert">
          {tr(
            lang,
            "公民身份号码应为 18 位（最后一位可为 X）。",
            "An ID number has 18 characters (the last may be X).",
          )}
        </p>
      ) : null}
      <label for="f-state">{tr(lang, "状态", "Status")}</label>
      <select id="f-state" name="state">
        <option value="">{tr(lang, "全部", "All")}</option>
        {Object.keys(CASE_STATUSES)
          .filter((s) => s !== "empty")
          .map((s) => (
            <option value={s} selected={filters.state === s}>
              {nameOf(CASE_STATUSES, s, lang)}
            </option>
          ))}
      </select>
      <label for="f-overdue">{tr(lang, "超期", "Overdue")}</label>
      {tri("overdue", tr(lang, "仅超期", "Overdue only"), tr(lang, "未超期", "On time"))}
      <label for="f-priority">{tr(lang, "优先办理", "Priority")}</label>
      {tri("priority", tr(lang, "仅绿色通道", "Green channel only"), tr(lang, "普通", "Ordinary"))}
      <button type="submit">{tr(lang, "查找", "Search")}</button>
    </form>
  );
}

function CaseRow({ signed, view: k }: { signed: Signed; view: CaseView }) {
  const { lang } = signed;
  const deadline = k.openDeadlines[0];
  return (
    <tr>
      <td>
        <a class="mono" href={href(lang, `/console/cases/${encodeURIComponent(k.caseId)}`)}>
          {k.caseId}
        </a>
        {k.priority ? (
          <>
            {" "}
            <span class="badge priority">
              {tr(lang, "优先", "Priority")}: {nameOf(PRIORITY_REASONS, k.priority.reasonCode, lang)}
            </span>
          </>
        ) : null}
      </td>
      <td>{nameOf(CASE_STATUSES, k.status, lang)}</td>
      <td>
        {k.person ? (
          <>
            {k.person.name}
            <br />
            <span class="mono hint">{k.person.idNumber}</span>
          </>
        ) : (
          "—"
        )}
      </td>
      <td>{k.counterpartId ? signed.agencyLabel(k.counterpartId) : "—"}</td>
      <td>
        {deadline ? deadline.due : shanghaiTime(k.closedAt) || "—"}
        {k.overdue ? (
          <>
            {" "}
            <span class="badge overdue">{tr(lang, "已超期", "Overdue")}</span>
          </>
        ) : null}
      </td>
    </tr>
  );
}
