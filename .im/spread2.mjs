function run(name, f) {
  for (let i = 0; i < 100000; i++) f(i);
  const t = performance.now();
  for (let i = 0; i < 300000; i++) f(i);
  console.log(name.padEnd(30), ((performance.now() - t) / 300000 * 1e6).toFixed(0), "ns");
}
let sink;
const mk = (i) => ({ at: "t" + (i & 7), agencyId: "x", caseId: "y", documentId: "z", requestId: "r" });
run("spread only", (i) => { sink = { ...mk(i) }; });
run("spread + 1 field", (i) => { sink = { ...mk(i), kind: "k" }; });
run("field + spread", (i) => { sink = { kind: "k", ...mk(i) }; });
run("spread + spread", (i) => { sink = { ...mk(i), ...{ kind: "k" } }; });
run("Object.assign", (i) => { sink = Object.assign({}, mk(i), { kind: "k" }); });
const fixed = mk(1);
run("spread const + 1 field", (i) => { sink = { ...fixed, kind: "k" }; });
run("spread 2-prop + 1", (i) => { sink = { ...{ a: i, b: 2 }, kind: "k" }; });
