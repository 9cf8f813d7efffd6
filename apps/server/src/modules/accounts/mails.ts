import type { Config } from '../../config.js';
import type { OutgoingMail } from '../mail/service.js';

// The account mails, as plain text (and a minimal HTML twin). Links point at SPA pages, which
// post the token to the API; nothing changes on a GET, so mail scanners cannot use a link up.
// They name no product: the sender and the signature carry the organisation's name
// (ORGANIZATION_NAME, added by mail/service.ts).

/** A link into the SPA carrying a one-time token: `${PUBLIC_URL}${path}?${param}=…`. */
export const link = (
  config: Pick<Config, 'publicUrl'>,
  path: string,
  token: string,
  param = 'token',
) => `${config.publicUrl}${path}?${param}=${encodeURIComponent(token)}`;

function mail(to: string, subject: string, lines: string[], link?: string): OutgoingMail {
  const text = lines.join('\n\n');
  const html = lines
    .map((line) => {
      const escaped = line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
      return line === link ? `<p><a href="${escaped}">${escaped}</a></p>` : `<p>${escaped}</p>`;
    })
    .join('\n');
  return { to, subject, text, html };
}

export const verifyEmailMail = (to: string, link: string) =>
  mail(
    to,
    'Confirm your email address',
    [
      'Welcome! Confirm your email address to finish creating your account:',
      link,
      'The link is valid for 48 hours. If you did not sign up, ignore this message.',
    ],
    link,
  );

export const alreadyRegisteredMail = (to: string, loginLink: string, resetLink: string) =>
  mail(to, 'Someone tried to sign up with your address', [
    'Someone (perhaps you) tried to create an account with this email address, which already has one.',
    `To sign in: ${loginLink}`,
    `Forgot your password? ${resetLink}`,
    'If it was not you, you can ignore this message; your account is unchanged.',
  ]);

export const resetPasswordMail = (to: string, link: string) =>
  mail(
    to,
    'Reset your password',
    [
      'Someone asked to reset the password of your account. To choose a new password, open:',
      link,
      'The link works once and expires in one hour. If you did not ask, ignore this message.',
    ],
    link,
  );

export const changeEmailMail = (to: string, link: string) =>
  mail(
    to,
    'Confirm your new email address',
    [
      'Confirm that this is the new email address of your account:',
      link,
      'The link is valid for 24 hours.',
    ],
    link,
  );

export const emailChangeNoticeMail = (to: string, newEmail: string) =>
  mail(to, 'Your email address is being changed', [
    `A change of your account's email address to ${newEmail} was requested.`,
    'If this was not you, reset your password right away and contact an administrator.',
  ]);

export const passwordChangedMail = (to: string) =>
  mail(to, 'Your password was changed', [
    'The password of your account was just changed, and your other sessions were signed out.',
    'If this was not you, reset your password right away.',
  ]);

export const unlockLoginMail = (to: string, link: string) =>
  mail(
    to,
    'Sign-in to your account is being slowed down',
    [
      'There were many failed attempts to sign in to your Bastion account, so sign-in is slowed down for a while. Your password was not accepted in any of them.',
      'If it was you and you do not want to wait, open this link and sign in with your password:',
      link,
      'The link works once and expires in one hour. If it was not you, you can ignore this message; if your password is weak or used elsewhere, change it.',
    ],
    link,
  );
