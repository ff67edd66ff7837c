import { describe, expect, it } from "vitest";
import { fingerprintOf, hash64, parseRawRow, type ProbeRecord } from "./raw";

const O = "0x" + "ab".repeat(20);
const row = (over: Record<string, unknown>) => ({ orchestrator: O, region: "FRA", pipeline: "llm", model: "m", timestamp: 1_700_000_000, ...over });
const fingerprint = (over: Record<string, unknown>) => (parseRawRow(row(over), "X") as ProbeRecord).fingerprint;

describe("probe fingerprint", () => {
  it("is the stored value of before: hash64 of JSON.stringify([success, round trip, warm, errors, input_parameters, response_payload])", () => {
    // Values stored by the definition's first implementation (which built the JSON text): they must never change.
    expect(fingerprint({ pipeline: "Text to image", success_rate: 1, round_trip_time: 1.2345678901234567 })).toBe("1c5c3619756de3f3");
    expect(
      fingerprint({
        success_rate: 0.5, round_trip_time: 3, model_is_warm: true, errors: [{ error_code: "PARTIAL", message: 'cut "short"', count: 1 }],
        input_parameters: '{"a":"b\\\\c"}\n\t\u0001', response_payload: "é ✓ 😀 \ud800 x \udc00",
      }),
    ).toBe("99f9b30fe9432618");
    expect(fingerprint({ success_rate: 0, round_trip_time: 0, errors: [{ count: 2, error_code: "B" }, { error_code: "A" }], response_payload: "" })).toBe("8c9b117ba288e110");
    expect(fingerprint({ success_rate: -0, round_trip_time: 1e-7, errors: [], input_parameters: 5 })).toBe("009f77cf685a7071");
    expect(fingerprint({ success_rate: 1, round_trip_time: 86400, model_is_warm: false, errors: null, input_parameters: "\u007f\u2028\u2029\b\f\r\\/" })).toBe("dcda008f2caf2cc0");
  });

  it("equals hash64 of the JSON text for any strings, numbers and errors (escapes, surrogates, control characters)", () => {
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    const alphabet = [0, 1, 8, 9, 10, 12, 13, 31, 32, 34, 47, 92, 97, 127, 0x2028, 0xe9, 0xd7ff, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xe000, 0xffff];
    const str = () => String.fromCharCode(...Array.from({ length: Math.floor(rnd() * 12) }, () => alphabet[Math.floor(rnd() * alphabet.length)]));
    for (let i = 0; i < 3000; i++) {
      const success = [0, 1, 0.5, rnd(), -0][i % 5];
      const rtt = [0, 1e-7, 123.456, rnd() * 86400, 1e21][i % 5];
      const warm = rnd() < 0.5;
      const errors = rnd() < 0.3 ? null : [{ error_code: str(), count: Math.floor(rnd() * 3), message: str() }];
      const input = rnd() < 0.2 ? null : str();
      const response = rnd() < 0.2 ? null : str();
      expect(fingerprintOf(success, rtt, warm, errors, input, response)).toBe(hash64(JSON.stringify([success, rtt, warm, errors, input, response])));
    }
  });

  it("reads repeated values the same way as new ones (the per-value memo)", () => {
    const a = parseRawRow(row({ orchestrator: ` ${O.toUpperCase()} `, region: " fra", pipeline: "Text To Image " }), "X") as ProbeRecord;
    const b = parseRawRow(row({ orchestrator: ` ${O.toUpperCase()} `, region: " fra", pipeline: "Text To Image " }), "X") as ProbeRecord;
    expect(a).toEqual(b);
    expect(a).toMatchObject({ orchestrator: O, region: "FRA", pipeline: "text-to-image" });
    expect(() => parseRawRow(row({ pipeline: "---", model: "" }), "X")).toThrow("model is missing (pipeline given)");
    expect(() => parseRawRow(row({ pipeline: "---" }), "X")).toThrow("has no letters or digits");
    expect(() => parseRawRow(row({ region: "" }), "bad key!")).toThrow("region must be a short id");
    expect((parseRawRow(row({ region: "" }), "sin") as ProbeRecord).region).toBe("SIN");
  });
});
