// The price catalogue's pure part: the CSV parser's edge cases, typed rows, refusal of rows without
// a source or date (prices) or a source or quality (throughput) with the file, line and field named,
// and the catalogue's age. Reading the files (a directory, the shipped data): tests/catalogue.test.ts.
import { describe, expect, it } from "vitest";
import {
  CatalogueError,
  CsvSyntaxError,
  PRICE_COLUMNS,
  THROUGHPUT_COLUMNS,
  catalogueAge,
  parseAsOf,
  parseCatalogue,
  parseCsv,
  parsePrices,
  parseThroughput,
} from "./catalogue";

const TODAY = "2026-11-29";
const PRICE_HEADER = PRICE_COLUMNS.join(",");
const TP_HEADER = THROUGHPUT_COLUMNS.join(",");
const TP_ROW = 'image-to-video,stabilityai/svd,"25 frames 1024x576, 7 fps",A100,A100,6.2,estimate from paper,arxiv.org/abs/2406.04324,estimate';

describe("CSV parser", () => {
  it("splits plain records and numbers their lines", () => {
    expect(parseCsv("a,b,c\n1,2,3\n")).toEqual([
      { line: 1, fields: ["a", "b", "c"] },
      { line: 2, fields: ["1", "2", "3"] },
    ]);
    expect(parseCsv("a,b\n1,2")).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
    ]); // no final newline
  });

  it("keeps commas, doubled quotes and line breaks inside quoted fields", () => {
    const text = 'h1,h2,h3\n"a, b","say ""hi""","two\nlines"\nx,"",z\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ["h1", "h2", "h3"] },
      { line: 2, fields: ["a, b", 'say "hi"', "two\nlines"] },
      { line: 4, fields: ["x", "", "z"] }, // the record after a two-line field starts on line 4
    ]);
    expect(parseCsv('"""quoted"""\n')).toEqual([{ line: 1, fields: ['"quoted"'] }]);
  });

  it("accepts CRLF, a lone CR, a BOM, empty lines and trailing empty fields", () => {
    expect(parseCsv('\uFEFFa,b\r\n"1\r\n2",3\r\n\r\n4,\r\n')).toEqual([
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1\n2", "3"] },
      { line: 5, fields: ["4", ""] },
    ]);
    expect(parseCsv("a\rb\r")).toEqual([
      { line: 1, fields: ["a"] },
      { line: 2, fields: ["b"] },
    ]);
    expect(parseCsv("")).toEqual([]);
    expect(parseCsv("\n\n")).toEqual([]);
    expect(parseCsv(",\n")).toEqual([{ line: 1, fields: ["", ""] }]);
  });

  it("refuses what it would otherwise misread, naming the line", () => {
    const err = (text: string) => {
      try {
        parseCsv(text);
      } catch (e) {
        return e as CsvSyntaxError;
      }
      throw new Error("expected a CsvSyntaxError");
    };
    expect(err('a,b\n1,"open\n\n')).toMatchObject({ line: 2, reason: "a quoted field is never closed" });
    expect(err('a,b\n1,ab"c\n').line).toBe(2);
    expect(err('a,b\n1,ab"c\n').reason).toMatch(/quote inside an unquoted field/);
    expect(err('a,b\n\n"x"y,2\n')).toMatchObject({ line: 3, reason: "text after a closing quote (a field must be quoted whole)" });
    expect(err('a,b\n\n"x"y,2\n')).toBeInstanceOf(CsvSyntaxError);
  });
});

describe("as_of dates", () => {
  it("reads day, month and year precision, bounds and notes; refuses undated text", () => {
    expect(parseAsOf("2026-01-21")).toEqual({ date: "2026-01-21", precision: "day", bound: "on", note: null });
    expect(parseAsOf("2026-06")).toEqual({ date: "2026-06-01", precision: "month", bound: "on", note: null });
    expect(parseAsOf("2025 (H1 rollout planned)")).toEqual({ date: "2025-01-01", precision: "year", bound: "on", note: "H1 rollout planned" });
    expect(parseAsOf("<=2023-08-16")).toEqual({ date: "2023-08-16", precision: "day", bound: "on-or-before", note: null });
    for (const bad of ["undated stored copy", "undated", "undated (PR)", "", "2026-13", "2026-02-30", "26-01-01", "1999-01-01", "soon"]) {
      expect(parseAsOf(bad)).toBeNull();
    }
  });
});

describe("prices", () => {
  const csv = (...rows: string[]) => [PRICE_HEADER, ...rows].join("\n") + "\n";

  it("parses typed rows", () => {
    const { rows, problems } = parsePrices(
      csv(
        "AWS,p4d.24xlarge,A100 40GB SXM,A100,8,instance_hour,21.957642,github.com/x/y,2026-01-21",
        "Livepeer,Recommended price,orchestrator-chosen,,,output_pixel,1.9073484e-08,github.com/livepeer/docs,2024-11-18",
      ),
      { today: TODAY },
    );
    expect(problems).toEqual([]);
    expect(rows[0]).toEqual({
      line: 2,
      provider: "AWS",
      offering: "p4d.24xlarge",
      gpu: "A100 40GB SXM",
      gpuKey: "A100",
      gpus: 8,
      unit: "instance_hour",
      usdPerUnit: "21.957642",
      source: "github.com/x/y",
      asOf: "2026-01-21",
      asOfDate: "2026-01-21",
      asOfPrecision: "day",
      asOfBound: "on",
      asOfNote: null,
      pipeline: null,
      model: null,
      setting: null,
    });
    expect(rows[1]).toMatchObject({ gpuKey: null, gpus: null, usdPerUnit: "0.000000019073484" });
  });

  it("reads the optional pipeline, model and setting columns", () => {
    const text = `${PRICE_HEADER},pipeline,model,setting\nfal.ai,LTX-2 Pro,n/a,,,video_second,0.06,fal.ai/learn,2026-01-07,Image to video,LTX-2 Pro,"1080p, 24 fps"\n`;
    const { rows, problems } = parsePrices(text, { today: TODAY });
    expect(problems).toEqual([]);
    expect(rows[0]).toMatchObject({ pipeline: "image-to-video", model: "LTX-2 Pro", setting: "1080p, 24 fps" });
  });

  it("refuses a row without a source, naming file, line and field", () => {
    const { rows, problems } = parsePrices(
      csv("AWS,g5.xlarge,A10G 24GB,A10G,1,instance_hour,1.006,github.com/x,2026-01-21", "AWS,g4dn.xlarge,T4 16GB,T4,1,instance_hour,0.526,,2026-01-21"),
      { today: TODAY },
    );
    expect(rows).toHaveLength(1);
    expect(problems).toEqual([
      { file: "cloud-prices.csv", line: 3, field: "source", message: 'cloud-prices.csv line 3 (AWS g4dn.xlarge): missing "source"' },
    ]);
  });

  it("refuses a row without a date, or with text that is not a date", () => {
    const { problems } = parsePrices(
      csv(
        "AWS,g4dn.xlarge,T4 16GB,T4,1,instance_hour,0.526,github.com/x,",
        "RunPod,Serverless flex worker,A100 80GB,A100,1,gpu_second,0.00076,docs.runpod.io/serverless/pricing,undated stored copy",
      ),
      { today: TODAY, file: "my-prices.csv" },
    );
    expect(problems.map((p) => [p.line, p.field])).toEqual([
      [2, "as_of"],
      [3, "as_of"],
    ]);
    expect(problems[0].message).toBe('my-prices.csv line 2 (AWS g4dn.xlarge): missing "as_of"');
    expect(problems[1].message).toMatch(/^my-prices\.csv line 3 \(RunPod Serverless flex worker\): "as_of" is not a date: "undated stored copy"/);
  });

  it("treats placeholder sources as missing and lists every problem of a row", () => {
    const { problems } = parsePrices(csv("Acme,box,,,x,instance_hr,-1,n/a,2099-01-01"), { today: TODAY });
    expect(problems.map((p) => p.field)).toEqual(["source", "unit", "usd_per_unit", "gpus", "as_of"]);
    expect(problems[0].message).toBe('cloud-prices.csv line 2 (Acme box): missing "source" ("n/a" is not a source)');
    expect(problems[1].message).toMatch(/unit "instance_hr" is not one of instance_hour, gpu_hour/);
    expect(problems[2].message).toMatch(/usd_per_unit "-1" is not a positive number/);
    expect(problems[4].message).toMatch(/"as_of" 2099-01-01 is in the future/);
  });

  it("refuses bad structure: missing header columns, wrong field counts, repeated offers", () => {
    const noSource = parsePrices("provider,offering,gpu,gpu_key,gpus,unit,usd_per_unit,as_of\nAWS,x,,,,instance_hour,1,2026-01-01\n", { today: TODAY });
    expect(noSource.rows).toEqual([]);
    expect(noSource.problems[0].message).toBe('cloud-prices.csv line 1: header lacks column "source"');
    const { problems } = parsePrices(
      csv(
        "AWS,8x H100, per GPU,H100,H100,8,instance_hour,55.04,github.com/x,2026-01-21",
        "AWS,g5.xlarge,A10G,A10G,1,instance_hour,1.006,github.com/x,2026-01-21",
        "AWS,g5.xlarge,A10G,A10G,1,instance_hour,1.006,github.com/y,2026-01-21",
      ),
      { today: TODAY },
    );
    expect(problems.map((p) => p.message)).toEqual([
      "cloud-prices.csv line 2: has 10 fields, the header has 9 (quote fields that contain commas)",
      "cloud-prices.csv line 4 (AWS g5.xlarge): repeats the offer on line 3 (same provider, offering, GPU, unit and date)",
    ]);
    expect(parsePrices("", {}).problems[0].message).toBe("cloud-prices.csv: is empty (expected a header line)");
    expect(parsePrices('provider,"unclosed\n', {}).problems[0].message).toBe("cloud-prices.csv line 1: a quoted field is never closed");
  });
});

describe("throughput", () => {
  it("parses typed rows, quoted settings included", () => {
    const { rows, problems } = parseThroughput(`${TP_HEADER}\n${TP_ROW}\n`);
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      {
        line: 2,
        pipeline: "image-to-video",
        model: "stabilityai/svd",
        setting: "25 frames 1024x576, 7 fps",
        gpu: "A100",
        gpuKey: "A100",
        gpuSecondsPerOutputSecond: "6.2",
        basis: "estimate from paper",
        source: "arxiv.org/abs/2406.04324",
        quality: "estimate",
      },
    ]);
  });

  it("refuses rows without a source or a quality, naming file, line and field", () => {
    const text = [
      TP_HEADER,
      TP_ROW,
      "live-video-to-video,streamdiffusion,one runner,any,*,1.0,assumption,,assumption",
      "upscale,Real-ESRGAN,4K,RTX 4090,RTX4090,2.46,82 ms per frame,github.com/x,",
      "upscale,Real-ESRGAN,4K,RTX 4090,RTX4090,0,82 ms per frame,github.com/x,unknown",
    ].join("\r\n");
    const { rows, problems } = parseThroughput(text);
    expect(rows).toHaveLength(1);
    expect(problems.map((p) => p.message)).toEqual([
      'gpu-throughput.csv line 3 (live-video-to-video streamdiffusion any): missing "source"',
      'gpu-throughput.csv line 4 (upscale Real-ESRGAN RTX 4090): missing "quality"',
      'gpu-throughput.csv line 5 (upscale Real-ESRGAN RTX 4090): missing "quality" ("unknown" is not a quality)',
      'gpu-throughput.csv line 5 (upscale Real-ESRGAN RTX 4090): gpu_seconds_per_output_second "0" is not a positive number',
    ]);
    expect(problems[0]).toMatchObject({ file: "gpu-throughput.csv", line: 3, field: "source" });
  });
});

describe("loading the catalogue", () => {
  it("fails the whole load and lists every refused row of both files", () => {
    const prices = [
      PRICE_HEADER,
      "AWS,g5.xlarge,A10G,A10G,1,instance_hour,1.006,github.com/x,2026-01-21",
      "AWS,g4dn.xlarge,T4,T4,1,instance_hour,0.526,,2026-01-21",
      "Replicate,per second,T4,T4,1,instance_second,0.000225,replicate.com/pricing,undated stored copy",
    ].join("\n");
    const throughput = [TP_HEADER, TP_ROW, "upscale,Real-ESRGAN,4K,RTX 4090,RTX4090,2.46,82 ms,,fork repo doc"].join("\n");
    let error: CatalogueError | undefined;
    try {
      parseCatalogue({ prices, throughput }, { today: TODAY });
    } catch (e) {
      error = e as CatalogueError;
    }
    expect(error).toBeInstanceOf(CatalogueError);
    expect(error!.problems.map((p) => `${p.file}:${p.line}:${p.field}`)).toEqual([
      "cloud-prices.csv:3:source",
      "cloud-prices.csv:4:as_of",
      "gpu-throughput.csv:3:source",
    ]);
    expect(error!.message).toContain("price catalogue refused: 3 problems");
    expect(error!.message).toContain('cloud-prices.csv line 3 (AWS g4dn.xlarge): missing "source"');
    expect(error!.message).toContain('cloud-prices.csv line 4 (Replicate per second): "as_of" is not a date: "undated stored copy"');
    expect(error!.message).toContain('gpu-throughput.csv line 3 (upscale Real-ESRGAN RTX 4090): missing "source"');
  });

  it("has no age without rows", () => {
    expect(catalogueAge([])).toBeNull();
  });
});
