// The account rules of DESIGN.md, checked in the browser before sending (the API checks again).
export const USERNAME = /^[A-Za-z0-9_]{3,24}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function validPassword(p: string): boolean {
  return p.length >= 8 && p.length <= 72 && !/\s/.test(p);
}
