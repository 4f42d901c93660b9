import { describe, expect, it } from "vitest";
import { LATENCY_BUCKETS, createMetricsRegistry } from "../../src/http/metrics.ts";

describe("createMetricsRegistry", () => {
  describe("when counters are counted", () => {
    it("renders one sample per label set with HELP and TYPE", async () => {
      const m = createMetricsRegistry();
      m.count("jiexu_documents_in_total", { type: "contact-letter", outcome: "accepted" });
      m.count("jiexu_documents_in_total", { outcome: "accepted", type: "contact-letter" }, 2);
      m.count("jiexu_documents_in_total", { type: "unknown", outcome: "SEAL_INVALID" });
      const text = await m.render();
      expect(text).toContain(
        "# HELP jiexu_documents_in_total Documents received at /v1/exchange, by type and outcome\n# TYPE jiexu_documents_in_total counter\n",
      );
      expect(text).toContain('jiexu_documents_in_total{type="contact-letter",outcome="accepted"} 3\n');
      expect(text).toContain('jiexu_documents_in_total{type="unknown",outcome="SEAL_INVALID"} 1\n');
    });

    it("escapes label values and sanitises label names", async () => {
      const m = createMetricsRegistry();
      m.count("x_total", { "bad-name": 'say "hi"\n\\' });
      expect(await m.render()).toContain('x_total{bad_name="say \\"hi\\"\\n\\\\"} 1');
    });
  });

  describe("when a histogram observes latencies", () => {
    it("renders cumulative buckets, +Inf, sum and count", async () => {
      const m = createMetricsRegistry();
      m.observe("jiexu_receive_seconds", {}, 0.003);
      m.observe("jiexu_receive_seconds", {}, 0.2);
      m.observe("jiexu_receive_seconds", {}, 30);
      const lines = (await m.render()).split("\n");
      expect(lines).toContain("# TYPE jiexu_receive_seconds histogram");
      expect(lines).toContain('jiexu_receive_seconds_bucket{le="0.001"} 0');
      expect(lines).toContain('jiexu_receive_seconds_bucket{le="0.005"} 1');
      expect(lines).toContain('jiexu_receive_seconds_bucket{le="0.25"} 2');
      expect(lines).toContain(`jiexu_receive_seconds_bucket{le="${LATENCY_BUCKETS.at(-1)}"} 2`);
      expect(lines).toContain('jiexu_receive_seconds_bucket{le="+Inf"} 3');
      expect(lines).toContain("jiexu_receive_seconds_count 3");
      expect(lines.find((l) => l.startsWith("jiexu_receive_seconds_sum "))).toMatch(/ 30\.203/);
    });
  });

  describe("when a gauge is read at scrape time", () => {
    it("renders sync and async callbacks and drops a failing one", async () => {
      const m = createMetricsRegistry();
      let depth = 4;
      m.gauge("jiexu_outbox_queue_depth", "Deliveries waiting", () => depth);
      m.gauge("jiexu_async", "async", async () => 7);
      m.gauge("jiexu_broken", "broken", () => {
        throw new Error("store busy");
      });
      depth = 5;
      const text = await m.render();
      expect(text).toContain("# TYPE jiexu_outbox_queue_depth gauge\njiexu_outbox_queue_depth 5\n");
      expect(text).toContain("jiexu_async 7\n");
      expect(text).toContain("# TYPE jiexu_broken gauge\n");
      expect(text).not.toMatch(/^jiexu_broken /m);
    });
  });

  it("ends every line with a newline and declares each family once", async () => {
    const m = createMetricsRegistry();
    m.count("a_total", {});
    const text = await m.render();
    expect(text.endsWith("\n")).toBe(true);
    expect(text.match(/# TYPE a_total /g)).toHaveLength(1);
  });
});
