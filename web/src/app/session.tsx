// The signed-in climber, shared by every page. On start the session is restored from the
// refresh cookie (a reload keeps the climber signed in).
import { createContext, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ApiClient } from "../api/client";
import type { User } from "../api/types";
import { useI18n } from "../i18n/I18n";
import type { MessageKey } from "../i18n/translate";

interface Session {
  api: ApiClient;
  user: User | null;
  /** The start-up refresh has finished (signed in or not). */
  ready: boolean;
  /** A message for the next page shown (signed out, session expired, account deleted). */
  notice: MessageKey | null;
  setNotice: (key: MessageKey | null) => void;
}

const Context = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const i18n = useI18n();
  const langRef = useRef(i18n.lang);
  langRef.current = i18n.lang;
  const adopt = useRef(i18n.adoptProfileLanguage);
  adopt.current = i18n.adoptProfileLanguage;
  const api = useMemo(() => new ApiClient(() => langRef.current), []);
  const [user, setUser] = useState<User | null>(null);
  const [ready, setReady] = useState(false);
  const [notice, setNotice] = useState<MessageKey | null>(null);

  useEffect(() => {
    const off = api.onSession((u, reason) => {
      setUser(u);
      if (u && reason === "signed_in") adopt.current(u.language);
      if (reason === "expired") setNotice("session.expired");
    });
    void api.refresh().finally(() => setReady(true));
    return () => {
      off();
    };
  }, [api]);

  const value = useMemo(() => ({ api, user, ready, notice, setNotice }), [api, user, ready, notice]);
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): Session {
  const v = useContext(Context);
  if (!v) throw new Error("useSession outside SessionProvider");
  return v;
}
