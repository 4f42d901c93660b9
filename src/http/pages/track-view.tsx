import type { TrackedCase, TrackStep } from "../../usecases/index.ts";
import { href, type Lang, tr } from "./layout.tsx";
import { shanghaiTime } from "./public-edge.ts";
import {
  deadlineStepText,
  milestoneText,
  nextAction,
  priorityText,
  reasonText,
  statusText,
  stepText,
} from "./track-text.ts";

/** The tracking form: POSTed, so the ID number never lands in a URL, a log line or the browser history. */
export function TrackForm({ lang }: { lang: Lang }) {
  return (
    <form class="stack card" method="post" action={href(lang, "/track")}>
      <label for="reference">{tr(lang, "案件编号或凭证编号", "Case number or voucher number")}</label>
      <input id="reference" name="reference" required maxlength={128} autocomplete="off" spellcheck={false} />
      <label for="idNumber">{tr(lang, "公民身份号码", "Citizen ID number")}</label>
      <input
        id="idNumber"
        name="idNumber"
        required
        maxlength={18}
        autocomplete="off"
        spellcheck={false}
        autocapitalize="characters"
      />
      <p class="hint">
        {tr(
          lang,
          "两项都须与经办机构登记的一致。为防止他人猜测，查询次数有限制。",
          "Both must match what the agency registered. Lookups are limited to stop guessing.",
        )}
      </p>
      <button type="submit">{tr(lang, "查询", "Track")}</button>
    </form>
  );
}

const PROBLEM_STEPS = new Set(["discrepancy", "returned", "refused", "cancelled"]);

function Timeline({ lang, t }: { lang: Lang; t: TrackedCase }) {
  const stepItem = (s: TrackStep) => (
    <li class={PROBLEM_STEPS.has(s.kind) ? "problem" : "done"}>
      <strong>{stepText(lang, s.kind, s.correction)}</strong>
      {s.reasonCode ? <span>{` — ${reasonText(lang, s.reasonCode)}`}</span> : ""}
      <br />
      <span class="hint">{shanghaiTime(s.at)}</span>
    </li>
  );
  return (
    <ol class="timeline" aria-label={tr(lang, "办理进度", "Progress")}>
      {t.steps.map(stepItem)}
      {t.pending.map((m) => {
        const current = t.current.includes(m);
        return (
          <li class={current ? "current" : "pending"} aria-current={current ? "step" : undefined}>
            {milestoneText(lang, m)}{" "}
            <span class="hint">
              {current ? tr(lang, "（正在办理）", "(in progress)") : tr(lang, "（待办）", "(to come)")}
            </span>
          </li>
        );
      })}
    </ol>
  );
}

function Deadline({ lang, t }: { lang: Lang; t: TrackedCase }) {
  const d = t.deadline;
  if (!d) return <dd>{tr(lang, "已结束，无待办期限", "Closed; no deadline open")}</dd>;
  return (
    <dd>
      {tr(lang, `${d.due} 前${deadlineStepText(lang, d.step)}`, `${deadlineStepText(lang, d.step)} by ${d.due}`)}
      <span class="hint">
        {tr(
          lang,
          `（法定 ${d.workingDays} 个工作日，自 ${d.startedOn} 起）`,
          ` (${d.workingDays} working days from ${d.startedOn}, by law)`,
        )}
      </span>{" "}
      {d.overdue ? <span class="badge overdue">{tr(lang, "已超期", "Overdue")}</span> : ""}
    </dd>
  );
}

/** The status line's colour: done, stopped, late, or under way. */
function toneOf(t: TrackedCase): string {
  if (t.status === "completed") return "ok";
  if (t.status === "returned" || t.status === "refused" || t.status === "cancelled") return "bad";
  return t.deadline?.overdue || t.status === "discrepancy-raised" ? "warn" : "info";
}

/** The answer to a matched pair: where the case stands, what comes next, the e-voucher. */
export function TrackResult({ lang, t }: { lang: Lang; t: TrackedCase }) {
  return (
    <>
      <p class={`verdict ${toneOf(t)}`} id="status">
        {statusText(lang, t.status)}
        {t.priority ? (
          <span class="badge priority">
            {tr(lang, `绿色通道：${priorityText(lang, t.priority)}`, `Priority: ${priorityText(lang, t.priority)}`)}
          </span>
        ) : (
          ""
        )}
      </p>
      <section class="card" aria-labelledby="next-h">
        <h2 id="next-h">{tr(lang, "您接下来可以做什么", "What you can do next")}</h2>
        <p id="next">{nextAction(lang, t)}</p>
        {t.reason ? (
          <p>
            <strong>{tr(lang, "原因：", "Reason: ")}</strong>
            {reasonText(lang, t.reason.reasonCode)}
            <br />
            <span class="hint">
              {tr(lang, `经办机构说明：${t.reason.explanation}`, `The agency's explanation: ${t.reason.explanation}`)}
            </span>
          </p>
        ) : (
          ""
        )}
        {t.discrepancy ? (
          <p>
            <strong>{tr(lang, "不符原因：", "Mismatch: ")}</strong>
            {reasonText(lang, t.discrepancy.reasonCode)}
            {t.discrepancy.explanation ? (
              <>
                <br />
                <span class="hint" id="discrepancy-explanation">
                  {tr(
                    lang,
                    `经办机构说明：${t.discrepancy.explanation}`,
                    `The agency's explanation: ${t.discrepancy.explanation}`,
                  )}
                </span>
              </>
            ) : (
              ""
            )}
          </p>
        ) : (
          ""
        )}
      </section>
      <section class="card" aria-labelledby="facts-h">
        <h2 id="facts-h">{tr(lang, "案件信息", "The case")}</h2>
        <dl class="facts">
          <dt>{tr(lang, "案件编号", "Case number")}</dt>
          <dd class="mono">{t.caseId}</dd>
          <dt>{tr(lang, "参保人", "Insured person")}</dt>
          <dd>{t.person.name}</dd>
          <dt>{tr(lang, "公民身份号码", "ID number")}</dt>
          <dd class="mono">{t.person.idNumber}</dd>
          <dt>{tr(lang, "转出地", "From")}</dt>
          <dd>{t.transferOut.name}</dd>
          <dt>{tr(lang, "转入地", "To")}</dt>
          <dd>{t.transferIn.name}</dd>
          <dt>{tr(lang, "当前经办", "Now with")}</dt>
          <dd id="holder">{t.holder ? t.holder.name : tr(lang, "—（已结束）", "— (closed)")}</dd>
          <dt>{tr(lang, "办理期限", "Deadline")}</dt>
          <Deadline lang={lang} t={t} />
        </dl>
      </section>
      <section class="card" aria-labelledby="timeline-h">
        <h2 id="timeline-h">{tr(lang, "办理进度", "Progress")}</h2>
        <Timeline lang={lang} t={t} />
      </section>
      <VoucherBox lang={lang} t={t} />
    </>
  );
}

/**
 * The e-voucher download: the page never carries the full ID number (not even in a hidden field), so the
 * person types it once more; the server checks the pair again, as for the lookup.
 */
function VoucherBox({ lang, t }: { lang: Lang; t: TrackedCase }) {
  return (
    <section class="card" aria-labelledby="voucher-h">
      <h2 id="voucher-h">{tr(lang, "电子参保缴费凭证", "Electronic contribution voucher")}</h2>
      {t.voucher ? (
        <form class="stack" method="post" action={href(lang, "/track/voucher.pdf")}>
          <input type="hidden" name="reference" value={t.caseId} />
          <p class="hint">{tr(lang, `凭证编号 ${t.voucher.id}`, `Voucher ${t.voucher.id}`)}</p>
          <label for="voucherIdNumber">
            {tr(lang, "再次输入公民身份号码以下载", "Enter your ID number again to download")}
          </label>
          <input id="voucherIdNumber" name="idNumber" required maxlength={18} autocomplete="off" spellcheck={false} />
          <button type="submit">{tr(lang, "下载凭证（PDF）", "Download the voucher (PDF)")}</button>
        </form>
      ) : (
        <p id="no-voucher">
          {tr(
            lang,
            "本案件没有电子参保缴费凭证，无需下载。",
            "This case has no electronic contribution voucher to download.",
          )}
        </p>
      )}
    </section>
  );
}
