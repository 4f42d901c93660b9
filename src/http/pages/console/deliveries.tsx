import { Hono } from "hono";
import {
  cancelDelivery,
  listDeliveries,
  retryDelivery,
  type DeliveryRecord,
  type OutboundState,
} from "../../../usecases/index.ts";
import type { HonoEnv } from "../../env.ts";
import { href, tr } from "../layout.tsx";
import { shanghaiTime } from "../public-edge.ts";
import { DOCUMENT_STATES, nameOf } from "./labels.ts";
import {
  ConsolePage,
  CsrfField,
  ErrorBox,
  answerPage,
  isRefusal,
  refusalCode,
  refuseForm,
  seeOther,
  signedForm,
  signedIn,
  toLogin,
  type Signed,
  WideTable,
} from "./shell.tsx";

/**
 * Deliveries (issue 13 item 4): by default those needing an operator (retrying, failed, uncertain), with retry
 * and cancel — the use cases of POST /v1/deliveries/:id/retry|cancel. An agency only ever sees its own.
 */
export const consoleDeliveries = new Hono<HonoEnv>();

const STATES: OutboundState[] = ["queued", "sending", "delivered", "retrying", "failed", "uncertain", "cancelled"];
const TROUBLE: OutboundState[] = ["retrying", "failed", "uncertain"];

consoleDeliveries.get("/console/deliveries", async (c) => {
  const signed = await signedIn(c);
  if (!signed) return toLogin(c);
  const asked = c.req.query("state") as OutboundState | undefined;
  const state = asked && STATES.includes(asked) ? asked : undefined;
  const deliveries = await readDeliveries(c.var.gateway, signed, state);
  const done = c.req.query("done");
  return answerPage(c, <DeliveriesPage signed={signed} state={state} deliveries={deliveries} done={done} />);
});

async function readDeliveries(gateway: HonoEnv["Variables"]["gateway"], signed: Signed, state?: OutboundState) {
  if (state) return listDeliveries(gateway, signed.principal, { state, limit: 200 });
  const lists = await Promise.all(
    TROUBLE.map((s) => listDeliveries(gateway, signed.principal, { state: s, limit: 200 })),
  );
  return lists.flat().sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
}

for (const action of ["retry", "cancel"] as const) {
  consoleDeliveries.post(`/console/deliveries/:id/${action}`, async (c) => {
    const check = await signedForm(c);
    if (!check.ok) return refuseForm(c, check.reason);
    const { signed, form } = check;
    const id = c.req.param("id");
    const back = String(form.get("back") ?? "");
    try {
      const run = action === "retry" ? retryDelivery : cancelDelivery;
      const d = await run(c.var.gateway, signed.principal, id);
      const target = back.startsWith("/console/") ? back : "/console/deliveries";
      const sep = target.includes("?") ? "&" : "?";
      return seeOther(c, href(signed.lang, `${target}${sep}done=${encodeURIComponent(`${id} ${d.state}`)}`));
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const deliveries = await readDeliveries(c.var.gateway, signed);
      const page = <DeliveriesPage signed={signed} deliveries={deliveries} error={error} />;
      return answerPage(c, page, 409, refusalCode(error));
    }
  });
}

function DeliveriesPage(props: {
  signed: Signed;
  state?: OutboundState | undefined;
  deliveries: DeliveryRecord[];
  done?: string | undefined;
  error?: unknown;
}) {
  const { signed, state, deliveries } = props;
  const { lang } = signed;
  const self = `/console/deliveries${state ? `?state=${state}` : ""}`;
  return (
    <ConsolePage signed={signed} title={tr(lang, "投递", "Deliveries")} self={self}>
      {props.done ? <DoneNote signed={signed} done={props.done} /> : null}
      {props.error ? <ErrorBox lang={lang} error={props.error} /> : null}
      <form method="get" action="/console/deliveries" class="card stack">
        {lang === "en" ? <input type="hidden" name="lang" value="en" /> : null}
        <label for="d-state">{tr(lang, "投递状态", "State")}</label>
        <select id="d-state" name="state">
          <option value="">{tr(lang, "需处理（重试中、失败、结果不明）", "Needing attention")}</option>
          {STATES.map((s) => (
            <option value={s} selected={s === state}>
              {nameOf(DOCUMENT_STATES, s, lang)}
            </option>
          ))}
        </select>
        <button type="submit">{tr(lang, "筛选", "Filter")}</button>
      </form>
      {deliveries.length ? (
        <DeliveryTable signed={signed} deliveries={deliveries} back={self} />
      ) : (
        <p class="card">{tr(lang, "没有这样的投递。", "No such deliveries.")}</p>
      )}
    </ConsolePage>
  );
}

/** The state a retried or cancelled delivery is in now. */
export function DoneNote({ signed, done }: { signed: Signed; done: string }) {
  const [id, state] = done.split(" ");
  return (
    <p class="verdict ok" role="status">
      <span class="mono">{id}</span> {tr(signed.lang, "现为：", "is now: ")}
      <strong class="console-state">{nameOf(DOCUMENT_STATES, state, signed.lang)}</strong>
    </p>
  );
}

/** Deliveries with attempts, last error and next attempt, and retry/cancel where they still apply. */
export function DeliveryTable({
  signed,
  deliveries,
  back,
}: {
  signed: Signed;
  deliveries: DeliveryRecord[];
  back: string;
}) {
  const { lang } = signed;
  return (
    <WideTable
      heads={[
        tr(lang, "文书", "Document"),
        tr(lang, "收件方", "To"),
        tr(lang, "状态", "State"),
        tr(lang, "尝试", "Attempts"),
        tr(lang, "最近错误", "Last error"),
        tr(lang, "下次尝试", "Next attempt"),
        tr(lang, "操作", "Action"),
      ]}
    >
      {deliveries.map((d) => (
        <tr data-delivery={d.id}>
          <td class="mono">{d.documentId ?? (d.kind === "webhook" ? "webhook" : "—")}</td>
          <td>{d.kind === "document" ? signed.agencyLabel(d.target) : d.target}</td>
          <td>
            <span class={`badge ${d.state === "failed" ? "overdue" : ""}`}>
              {nameOf(DOCUMENT_STATES, d.state, lang)}
            </span>
          </td>
          <td>{d.attempts}</td>
          <td class="mono">{d.lastError ?? "—"}</td>
          <td>{TROUBLE.includes(d.state) || d.state === "queued" ? shanghaiTime(d.nextAttemptAt) : "—"}</td>
          <td>
            <DeliveryActions signed={signed} delivery={d} back={back} />
          </td>
        </tr>
      ))}
    </WideTable>
  );
}

function DeliveryActions({ signed, delivery: d, back }: { signed: Signed; delivery: DeliveryRecord; back: string }) {
  const { lang } = signed;
  if (d.state === "delivered" || d.state === "cancelled") return <span class="hint">—</span>;
  const action = (verb: "retry" | "cancel", label: string, cls?: string) => (
    <form
      method="post"
      action={href(lang, `/console/deliveries/${encodeURIComponent(d.id)}/${verb}`)}
      class="console-inline"
    >
      <CsrfField signed={signed} />
      <input type="hidden" name="back" value={back} />
      <button type="submit" class={cls} aria-label={`${label} ${d.documentId ?? d.id}`}>
        {label}
      </button>
    </form>
  );
  return (
    <>
      {action("retry", tr(lang, "立即重试", "Retry now"))}
      {action("cancel", tr(lang, "取消", "Cancel"), "secondary")}
    </>
  );
}
