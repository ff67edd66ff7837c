// /programs, section 3: the orchestrator bootstrapping programs of PROGRAMS_FILE, each with its
// window, pipelines, budget, criteria and split rule, a link to its page (every orchestrator's
// figures, eligibility and grant) and its frozen snapshots; and what is wrong in the file, by line.
import { Eth } from "~/components/amount";
import { formatTimestamp } from "~/lib/format";
import type { ProgramListing, ProgramsFileView } from "~/lib/bootstrap.server";
import { criterionText } from "./bootstrap-criteria";

export function BootstrapSection({ file, listing }: { file: ProgramsFileView; listing: ProgramListing[] }) {
  return (
    <section className="panel" aria-labelledby="bootstrap-title">
      <h2 id="bootstrap-title">Orchestrator bootstrapping</h2>
      <p className="muted">
        Grants to orchestrators that demonstrably serve well: each program (defined in <code>PROGRAMS_FILE</code>) sets criteria over its window,
        measured from gateway events, job logs, public probes or advertised capabilities, whichever exists, and splits its LPT budget among the
        eligible orchestrators, equally or pro rata to seconds of video delivered, to the wei. A frozen snapshot never changes. JSON:{" "}
        <a href="/api/programs">/api/programs</a>
      </p>
      {!file.configured ? <p>No programs file is configured (<code>PROGRAMS_FILE</code> is not set).</p> : null}
      {file.problems.length ? (
        <div role="note" aria-label="Programs file problems">
          <p>
            <code>{file.file}</code> has problems; the programs they name are left out, the others are shown:
          </p>
          <ul>
            {file.problems.map((p) => (
              <li key={`${p.line}/${p.path}/${p.message}`}>
                line {p.line ?? "?"}
                {p.path ? (
                  <>
                    , <code>{p.path}</code>
                  </>
                ) : null}
                : {p.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {file.configured && !listing.length ? <p>The programs file defines no usable program.</p> : null}
      {listing.map((l) => {
        const p = file.programs.find((x) => x.name === l.name);
        return (
          <article key={l.name} aria-label={`Program ${l.label}`}>
            <h3>
              <a href={`/programs/${l.name}`}>{l.label}</a> <span className="muted">({l.name})</span>
            </h3>
            <p>
              {l.from} – {l.to} · budget <Eth value={l.budgetLpt} symbol="LPT" dp={2} />
              {p ? (
                <>
                  {" "}
                  · {p.pipelines.join(", ")}
                  {p.models.length ? ` (${p.models.join(", ")})` : " (every model)"} · split {p.split === "equal" ? "equally" : "pro rata to delivered seconds of video"}
                </>
              ) : (
                " · no longer in the programs file: only its frozen snapshots remain"
              )}
            </p>
            {p ? (
              <ul className="muted">
                {p.criteria.map((c) => (
                  <li key={c.name}>{criterionText(c)}</li>
                ))}
              </ul>
            ) : null}
            <p>
              {p ? <a href={`/programs/${l.name}`}>Eligibility and grants now</a> : null}
              {l.frozen.length ? (
                <>
                  {p ? " · " : ""}frozen:{" "}
                  {l.frozen.slice(0, 10).map((f, i) => (
                    <span key={f.id}>
                      {i ? ", " : ""}
                      <a href={`/programs/${l.name}?at=${f.id}`}>{formatTimestamp(f.at)}</a>
                    </span>
                  ))}
                  {l.frozen.length > 10 ? ` and ${l.frozen.length - 10} more (/api/programs)` : ""}
                </>
              ) : (
                " · not frozen yet"
              )}
            </p>
          </article>
        );
      })}
    </section>
  );
}
