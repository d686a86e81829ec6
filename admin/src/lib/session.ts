/** The signed-in admin's token, kept for this browser tab only (sessionStorage). */
const KEY = 'sr-admin-token';
/** Fired when the API refuses the token (expired or revoked): the app goes back to sign-in. */
export const SESSION_ENDED = 'sr-admin-session-ended';

export const session = {
  token: (): string | null => sessionStorage.getItem(KEY),
  save: (token: string) => sessionStorage.setItem(KEY, token),
  clear: () => sessionStorage.removeItem(KEY),
  end: () => {
    sessionStorage.removeItem(KEY);
    window.dispatchEvent(new Event(SESSION_ENDED));
  },
};
