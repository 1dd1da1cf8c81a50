import nodemailer, { type Transporter } from 'nodemailer';

// E-mail is optional: without XS_SMTP_URL (e.g. smtp://user:pass@mail.example.org:587)
// the channel is skipped, and the operator is told so once per process.

let warned = false;
const transports = new Map<string, Transporter>();

export function smtpUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.XS_SMTP_URL || undefined;
  if (!url && !warned) {
    warned = true;
    process.emitWarning('XS_SMTP_URL is not set: e-mail notifications are skipped', { code: 'XS_NO_SMTP' });
  }
  return url;
}

export function smtpFrom(env: NodeJS.ProcessEnv = process.env): string {
  return env.XS_SMTP_FROM || 'Xieshang <no-reply@localhost>';
}

/** One pooled transport per SMTP URL. */
export function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (!t) {
    t = nodemailer.createTransport(url);
    transports.set(url, t);
  }
  return t;
}

export function closeTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}
