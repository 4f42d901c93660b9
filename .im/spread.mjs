function run(name, f) {
  for (let i = 0; i < 200000; i++) f(i);
  const t = performance.now();
  for (let i = 0; i < 1000000; i++) f(i);
  console.log(name, ((performance.now() - t) / 1000000 * 1e6).toFixed(0), "ns");
}
let sink;
run("spread+fields", (i) => { const event = { at: "t" + (i & 7), agencyId: "x", caseId: "y", documentId: "z", requestId: "r" }; sink = { ...event, kind: "k", detail: { from: "a", type: "b" } }; });
run("explicit", (i) => { const at = "t" + (i & 7); sink = { at, agencyId: "x", caseId: "y", documentId: "z", requestId: "r", kind: "k", detail: { from: "a", type: "b" } }; });
run("cond spread", (i) => { const p = i & 1 ? { person: 1 } : {}; sink = { view: "a", agencyId: "b", counterpartId: "c", priority: null, temp: false, ...p }; });
run("spread then spread", (i) => { const base = { view: "a", agencyId: "b", counterpartId: "c", priority: null, temp: false }; sink = { ...base, ...(i&1 ? { voucher: 1 } : {}), documentId: "d", deadline: 1 }; });
