import { Hono } from "hono";
import type { HonoEnv } from "../env.ts";
import { href, langOf, Page, renderPage, tr } from "./layout.tsx";

/** `/` (issue 13 item 5): what the service is, in plain words, and where each kind of visitor goes. */
export const home = new Hono<HonoEnv>();

home.get("/", (c) => {
  const lang = langOf(c);
  const entries = [
    {
      path: "/track",
      title: tr(lang, "查询转移进度", "Track your transfer"),
      text: tr(
        lang,
        "参保人员：输入案件编号（或凭证编号）和公民身份号码，查看养老保险关系转移办到哪一步、期限和下一步，并下载电子参保缴费凭证。",
        "For insured people: enter the case (or voucher) number and your ID number to see where your pension transfer stands, its deadline and the next step, and download your e-voucher.",
      ),
    },
    {
      path: "/verify",
      title: tr(lang, "核验电子文书", "Verify a document"),
      text: tr(
        lang,
        "核查人员：上传电子文书、签章文件、凭证 PDF 或证据包，核验电子签章是否有效、内容是否被改动。",
        "For compliance staff: upload a sealed document, a seal file, a voucher PDF or an evidence pack to check that its electronic seal holds and nothing was changed.",
      ),
    },
    {
      path: "/console",
      title: tr(lang, "经办机构", "Agency console"),
      text: tr(lang, "社会保险经办机构工作人员登录办理业务。", "Sign-in for staff of social-insurance agencies."),
    },
    {
      path: "/docs",
      title: tr(lang, "接口文档（API）", "API reference"),
      text: tr(lang, "经办系统对接本网关的接口说明。", "How agency systems connect to this gateway."),
    },
  ];
  return renderPage(
    c,
    <Page lang={lang} title={tr(lang, "养老保险关系转移接续", "Pension insurance transfers")} self="/">
      <p>
        {tr(
          lang,
          "换工作跨省后，您的企业职工基本养老保险关系和个人账户资金要从原参保地转到新参保地。本网关让两地社会保险经办机构以加盖电子签章的文书办理转移，不用邮寄纸质材料，您也不用来回跑。",
          "When you change jobs across provinces, your basic pension insurance and account funds move from the old place to the new one. This gateway lets the two social-insurance agencies exchange electronically sealed documents instead of mailed paper, so you do not have to travel between them.",
        )}
      </p>
      <ul class="entries">
        {entries.map((e) => (
          <li class="card">
            <h2>
              <a href={href(lang, e.path)}>{e.title}</a>
            </h2>
            <p>{e.text}</p>
          </li>
        ))}
      </ul>
    </Page>,
  );
});
