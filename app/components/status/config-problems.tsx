// Status page: what is wrong in the program files (a tags budget, the treasury recipients file,
// PROGRAMS_FILE): the file's name, the line or path inside it and the reason. Such an entry is left out; nothing else stops.
import type { ConfigProblem } from "../../../db/queries/programs";

export function ConfigProblemsPanel({ problems }: { problems: ConfigProblem[] }) {
  return (
    <section className="panel" aria-labelledby="config-problems-title">
      <h2 id="config-problems-title">Configuration problems</h2>
      <p className="muted">
        Entries of the gateway tags file&apos;s budgets and of the treasury recipients file that were left out at the last indexer run, and
        bootstrapping programs of the programs file that are left out, and why. Everything else runs.
      </p>
      {problems.length === 0 ? (
        <p>None.</p>
      ) : (
        <ul>
          {problems.map((p) => (
            <li key={`${p.file}/${p.path}/${p.message}`}>
              <code>{p.file}</code>, <code>{p.path}</code>: {p.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
