// The security headers of every response, in one place (issue 13): a Content-Security-Policy whose
// scripts must carry this request's nonce, Referrer-Policy, Permissions-Policy and
// X-Content-Type-Options. The nonce travels to the renderer through the load context
// (entry.server.tsx gives it to React, <Scripts>, <ScrollRestoration> and Remix's data stream).
//
// The policy, directive by directive:
// - default-src 'self': nothing from another origin (the dashboard loads no third-party asset).
// - script-src 'self' 'nonce-…': the bundles under /build and only the inline scripts this server
//   rendered for this response (Remix's context and module loader, React's stream, turbo-stream).
// - style-src-elem 'self': stylesheets only from /build; no <style> element. style-src-attr
//   'unsafe-inline': style attributes (React's style props and the charts' SVG need them); the
//   style-src fallback says the same for browsers without the CSP3 directives.
// - img-src 'self' data: blob:: the favicon, and a chart's PNG export draws its SVG through a
//   data: URL onto a canvas.
// - object-src 'none', base-uri 'none', form-action 'self'.
// - frame-ancestors: 'self' everywhere except /embed/*, the charts any site may put in an iframe.
import crypto from "node:crypto";
import type { NextFunction, Request, Response } from "express";

/** Whether a path is an embed page, which any site may frame. */
export function isEmbedPath(path: string): boolean {
  return path === "/embed" || path.startsWith("/embed/") || path.startsWith("/embed.");
}

export function contentSecurityPolicy(nonce: string, opts: { embed: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "style-src-elem 'self'",
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${opts.embed ? "*" : "'self'"}`,
  ].join("; ");
}

const STATIC_HEADERS: Record<string, string> = {
  "X-Content-Type-Options": "nosniff",
  // Other sites learn this site's origin from a link, never a page's path and query.
  "Referrer-Policy": "strict-origin-when-cross-origin",
  // No page uses any of these; an injected frame or script cannot ask for them either.
  "Permissions-Policy":
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()",
};

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  return crypto.randomBytes(16).toString("base64");
}

/** The nonce securityHeaders gave this response (the load context passes it to the renderer). */
export function nonceOf(res: Response): string {
  return (res.locals as { cspNonce?: string }).cspNonce ?? "";
}

/** Express middleware: sets every security header and a fresh nonce on each response. */
export function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction) => {
    const nonce = newNonce();
    (res.locals as { cspNonce?: string }).cspNonce = nonce;
    for (const [k, v] of Object.entries(STATIC_HEADERS)) res.setHeader(k, v);
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce, { embed: isEmbedPath(req.path) }));
    next();
  };
}
