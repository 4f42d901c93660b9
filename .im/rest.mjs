function run(name, f) {
  for (let i = 0; i < 100000; i++) f(i);
  const t = performance.now();
  for (let i = 0; i < 300000; i++) f(i);
  console.log(name.padEnd(30), ((performance.now() - t) / 300000 * 1e6).toFixed(0), "ns");
}
let sink;
const mk = (i) => ({ ownerAgency: "a", direction: "in", documentId: "d" + i, type: "t", caseId: "c", from: "f", to: "t", canonical: 1, seal: 2, documentSha256: "x", sealSha256: "y", report: {}, recordedAt: "r", state: "s", receipt: "r" });
run("rest+spread+fields", (i) => { const d = mk(i); const { report, ...rest } = d; sink = { ...rest, canonical: 3, seal: 4 }; });
run("rest then set", (i) => { const d = mk(i); const { report, ...rest } = d; rest.canonical = 3; rest.seal = 4; sink = rest; });
run("assign then set", (i) => { const d = mk(i); const w = Object.assign({}, d); w.canonical = 3; w.seal = 4; sink = w; });
