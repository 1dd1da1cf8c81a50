import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

// RFC 6238 codes: 30-second steps, 6 digits, SHA-1 (what every authenticator app supports);
// a code from the step before or after is accepted for clock drift.

export function totpFor(secretBase32: string, label: string, issuer: string): TOTP {
  return new TOTP({ issuer, label, algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secretBase32) });
}

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

/** The time step a valid code belongs to, or null; callers refuse steps already used. */
export function totpStep(secretBase32: string | null, code: string, now = Date.now()): number | null {
  if (!secretBase32) return null;
  try {
    const delta = totpFor(secretBase32, 'x', 'x').validate({ token: code, window: 1, timestamp: now });
    return delta === null ? null : Math.floor(now / 30_000) + delta;
  } catch {
    return null;
  }
}

export function checkTotp(secretBase32: string | null, code: string): boolean {
  return totpStep(secretBase32, code) !== null;
}

/** The provisioning URI as an SVG data URL, ready for an <img> (the CSP allows data: images). */
export async function qrDataUrl(uri: string): Promise<string> {
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
