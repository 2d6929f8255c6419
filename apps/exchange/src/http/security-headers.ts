import type { NextFunction, Request, Response } from 'express';

/** On every answer, raw ones written on the socket included: a browser must take the Content-Type as it is, never sniff another. */
export const NOSNIFF = { 'X-Content-Type-Options': 'nosniff' } as const;

/**
 * Swagger UI at /docs loads only the exchange's own scripts (none is inline), its own stylesheet
 * beside an inline <style>, data: icons, and fetches the exchange's own /docs-json; nothing else,
 * so that a script injected into the page (through a crafted ?url= spec, say) neither runs nor
 * sends anything anywhere.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const isDocsPage = (path: string) => path === '/docs' || path.startsWith('/docs/');

/**
 * Headers every answer gets before anything else runs, so that problem answers, shed answers and
 * 404s carry them too: nosniff everywhere; `Cache-Control: no-store` on /v1 (private data, and the
 * answers that hold secrets: client secrets, access tokens); the Content-Security-Policy on /docs.
 */
export function securityHeaders(req: Request, res: Response, next: NextFunction): void {
  res.setHeader('X-Content-Type-Options', NOSNIFF['X-Content-Type-Options']);
  if (req.path.startsWith('/v1/')) res.setHeader('Cache-Control', 'no-store');
  if (isDocsPage(req.path)) res.setHeader('Content-Security-Policy', DOCS_CONTENT_SECURITY_POLICY);
  next();
}
