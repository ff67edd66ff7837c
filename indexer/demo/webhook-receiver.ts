// A local webhook receiver on loopback: what the demo prints alert deliveries from, and what the
// alert tests deliver to. It records each POST (headers, body, whether the signature verifies with
// `secret`) and answers 204; `status` makes it answer something else (a receiver having trouble).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../../core/alerts/payload";

export interface Delivery {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** null when no secret is set. */
  verified: boolean | null;
  json: unknown;
}

export interface WebhookReceiver {
  url: string;
  port: number;
  deliveries: Delivery[];
  /** The status answered to every request (default 204). */
  status: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(opts: { port?: number; secret?: string; onDelivery?: (d: Delivery) => void } = {}): Promise<WebhookReceiver> {
  const receiver = { deliveries: [] as Delivery[], status: 204 } as WebhookReceiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: unknown = null;
      try {
        json = JSON.parse(body);
      } catch {
        /* kept as text */
      }
      const sig = req.headers["x-observatory-signature"];
      const d: Delivery = { path: req.url ?? "/", headers: req.headers, body, json, verified: opts.secret ? verifySignature(body, Array.isArray(sig) ? sig[0] : sig, opts.secret) : null };
      if (receiver.status >= 200 && receiver.status < 300) {
        receiver.deliveries.push(d);
        opts.onDelivery?.(d);
      }
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  receiver.port = port;
  receiver.url = `http://127.0.0.1:${port}`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver;
}
