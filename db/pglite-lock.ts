// One process per PGlite directory: two processes on one directory corrupt it. The lock is a unix
// socket in the directory that the owner listens on. The kernel closes it the moment the owner
// dies, however it dies (kill -9, a crash, a zombie not yet reaped), so a connect to it tells
// "held" (accepted) from "left behind" (refused) with no pid to trust: the pid file this replaces
// took a dead process's zombie for alive (kill(pid, 0) succeeds on zombies) and a reused pid after
// a reboot or in a container for the owner.
//
// A socket left by a dead owner is removed and the lock taken again. Two processes starting in the
// same millisecond against a left-behind socket could both remove it; the window is a few
// microseconds and the second still finds PGlite's own files in use only then, so it is accepted.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { BusyError } from "../core/errors";

/** Another process has the PGlite directory open (busy: the CLI exits 3, as for the Postgres writer lock). */
export class DirectoryLockedError extends BusyError {}

const SOCKET_NAME = "observatory.lock.sock";
/** sun_path holds 108 bytes on Linux, 104 on macOS. */
const MAX_SOCKET_PATH = 100;

function socketPathFor(dir: string): string {
  const absolute = path.resolve(dir, SOCKET_NAME);
  if (Buffer.byteLength(absolute) <= MAX_SOCKET_PATH) return absolute;
  const relative = path.relative(process.cwd(), absolute);
  if (Buffer.byteLength(relative) <= MAX_SOCKET_PATH) return relative;
  throw new Error(`The PGlite directory path ${dir} is too long for its lock socket (at most about 80 characters): set PGLITE_DIR to a shorter path.`);
}

/** The owner's pid when a process is listening on the socket (it answers with it), else null. */
function owner(socketPath: string): Promise<string | null> {
  return new Promise((resolve) => {
    const c = net.connect(socketPath);
    let said = "";
    c.setEncoding("utf8");
    c.on("data", (d) => (said += d));
    c.once("end", () => resolve(said.trim() || "unknown"));
    c.once("error", () => resolve(null));
    c.setTimeout(2_000, () => {
      c.destroy();
      resolve("unknown"); // accepted but silent: alive all the same
    });
  });
}

function listen(socketPath: string): Promise<net.Server | "in-use"> {
  return new Promise((resolve, reject) => {
    const server = net.createServer((conn) => conn.end(String(process.pid)));
    server.once("error", (e: NodeJS.ErrnoException) => (e.code === "EADDRINUSE" ? resolve("in-use") : reject(e)));
    server.listen(socketPath, () => {
      server.unref(); // the lock never keeps the process alive
      resolve(server);
    });
  });
}

/** Takes the directory's lock or throws DirectoryLockedError; resolves to its release. */
export async function lockPgliteDir(dir: string): Promise<() => void> {
  const socketPath = socketPathFor(dir);
  // The pid file of older versions is not a lock any more; it only ever misled.
  fs.rmSync(path.join(dir, "observatory.lock"), { force: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    const server = await listen(socketPath);
    if (server !== "in-use") {
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        server.close();
      };
      process.once("exit", release);
      return release;
    }
    const pid = await owner(socketPath);
    if (pid !== null)
      throw new DirectoryLockedError(
        `The PGlite directory ${dir} is open in another process (pid ${pid}). PGlite allows one process per directory: stop that ` +
          `process, or run the indexer inside the server (npm start does), or set DATABASE_URL to use Postgres.`,
      );
    fs.rmSync(socketPath, { force: true }); // left behind by a process that died
  }
  throw new Error(`Could not lock ${dir}`);
}
