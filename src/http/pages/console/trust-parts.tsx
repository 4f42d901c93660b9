import { CRL_WARNING_HOURS, type CrlFacts, type Expiry } from "../../../usecases/index.ts";
import { tr, type Lang } from "../layout.tsx";
import { shanghaiTime } from "../public-edge.ts";
import { WideTable } from "./shell.tsx";

/**
 * An expiry as a badge: expired, expiring with what is left (a certificate's or the directory's in days, a CRL's
 * in hours), or valid — `valid` names how long where the warning window is not the certificates' 30 days.
 */
export function ExpiryBadge(props: {
  lang: Lang;
  expiry: Expiry;
  left: number;
  unit: "days" | "hours";
  valid?: readonly [string, string];
}) {
  const { lang, expiry, left } = props;
  if (expiry === "expired") return <span class="badge overdue">{tr(lang, "已过期", "Expired")}</span>;
  const [zh, en] = props.unit === "days" ? ["天", "days"] : ["小时", "hours"];
  if (expiry === "expiring")
    return <span class="badge priority">{tr(lang, `${left} ${zh}后到期`, `Expires in ${left} ${en}`)}</span>;
  const [validZh, validEn] = props.valid ?? ["有效", "Valid"];
  return <span class="badge console-ok">{tr(lang, validZh, validEn)}</span>;
}

/**
 * A CRL past its nextUpdate stops verification of every seal chained to its issuer (fail closed: TRY_LATER), so
 * its warning says so, from 48 hours ahead.
 */
export function CrlWarnings({ lang, crls }: { lang: Lang; crls: CrlFacts[] }) {
  const problems = crls.filter((c) => c.expiry !== "valid");
  if (problems.length === 0) return null;
  return (
    <div class="verdict warn console-box" role="alert" id="crl-warnings">
      <p>
        {tr(
          lang,
          "吊销列表过期后，本网关暂停核验其签发者下的所有印章（稍后重试），请及时加载新的吊销列表：",
          "Once a CRL is past its next update, seals chained to its issuer are not verified (try later): load its successor in time:",
        )}
      </p>
      <ul>
        {problems.map((c) => (
          <li>
            {c.issuer}:{" "}
            {!c.nextUpdate
              ? tr(lang, "不可用（无下次更新时间或无法解析）", "unusable (no next update, or unreadable)")
              : c.expiry === "expired"
                ? tr(lang, `已于 ${shanghaiTime(c.nextUpdate)} 过期`, `expired on ${shanghaiTime(c.nextUpdate)}`)
                : tr(
                    lang,
                    `将于 ${shanghaiTime(c.nextUpdate)} 到期（剩 ${c.hoursLeft} 小时）`,
                    `expires on ${shanghaiTime(c.nextUpdate)} (${c.hoursLeft} hours)`,
                  )}
          </li>
        ))}
      </ul>
    </div>
  );
}

const CRL_VALID = [`有效（${CRL_WARNING_HOURS} 小时以上）`, `Valid (over ${CRL_WARNING_HOURS} hours)`] as const;

export function CrlTable({ lang, crls }: { lang: Lang; crls: CrlFacts[] }) {
  if (crls.length === 0) return <p class="card">{tr(lang, "未配置吊销列表。", "No CRL is configured.")}</p>;
  return (
    <WideTable
      heads={[
        tr(lang, "签发者", "Issuer"),
        tr(lang, "本次更新", "This update"),
        tr(lang, "下次更新", "Next update"),
        tr(lang, "状态", "State"),
      ]}
    >
      {crls.map((c) => (
        <tr>
          <td>
            {c.issuer}
            <br />
            <span class="mono hint">{c.sha256}</span>
          </td>
          <td>{c.thisUpdate ? shanghaiTime(c.thisUpdate) : "—"}</td>
          <td>{c.nextUpdate ? shanghaiTime(c.nextUpdate) : "—"}</td>
          <td>
            <ExpiryBadge lang={lang} expiry={c.expiry} left={c.hoursLeft} unit="hours" valid={CRL_VALID} />
          </td>
        </tr>
      ))}
    </WideTable>
  );
}
