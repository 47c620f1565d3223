// The account: details and quota, language, password, and erasure with a confirmation.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useLocation } from "wouter";
import { errorSentence } from "../api/errors";
import type { Language, User } from "../api/types";
import { Field } from "../app/Field";
import { LanguageOptions } from "../app/LanguageOptions";
import { Notice, Page } from "../app/Page";
import { useSession } from "../app/session";
import { validPassword } from "../app/validation";
import { useI18n } from "../i18n/I18n";

export function ProfilePage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, setNotice } = useSession();
  const [, navigate] = useLocation();
  const [me, setMe] = useState<User | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api
      .request<User>("GET", "/v1/users/me")
      .then(setMe)
      .catch((e) => setError(errorSentence(i18n, e)));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api]);

  if (error && !me) {
    return (
      <Page title={t("profile.title")}>
        <Notice kind="error">{error}</Notice>
      </Page>
    );
  }
  if (!me) return <p className="loading">{t("app.loading")}</p>;
  return (
    <Page title={t("profile.title")}>
      <section className="card" aria-labelledby="account-title">
        <h2 id="account-title">{t("profile.account")}</h2>
        <dl className="details">
          <dt>{t("profile.username")}</dt>
          <dd>{me.username}</dd>
          <dt>{t("profile.email")}</dt>
          <dd>{me.email}</dd>
          <dt>{t("profile.tier")}</dt>
          <dd>{t(`profile.tier.${me.subscription_tier}`)}</dd>
          <dt>{t("profile.quota")}</dt>
          <dd>{t("profile.quotaValue", { used: me.quota_used ?? 0, quota: me.monthly_quota })}</dd>
          <dt>{t("profile.memberSince")}</dt>
          <dd>{i18n.date(me.created_at, false)}</dd>
        </dl>
      </section>
      <LanguageForm me={me} onSaved={setMe} />
      <PasswordForm me={me} />
      <DeleteAccount
        me={me}
        onDeleted={() => {
          api.endSession("signed_out");
          setNotice("profile.deleted");
          navigate("/login");
        }}
      />
    </Page>
  );
}

function LanguageForm({ me, onSaved }: { me: User; onSaved: (u: User) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [value, setValue] = useState<Language>(me.language);
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    try {
      const updated = await api.request<User>("PATCH", "/v1/users/me", { body: { language: value } });
      onSaved(updated);
      api.setUser(updated);
      i18n.setLanguage(value);
      setMessage({ kind: "success", text: "" });
    } catch (err) {
      setMessage({ kind: "error", text: errorSentence(i18n, err) });
    }
  };

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="language-title">
      <h2 id="language-title">{t("profile.language")}</h2>
      {message && <Notice kind={message.kind}>{message.kind === "success" ? t("profile.saved") : message.text}</Notice>}
      <div className="field">
        <label htmlFor="profile-language">{t("app.language")}</label>
        <select id="profile-language" value={value} onChange={(e) => setValue(e.target.value as Language)}>
          <LanguageOptions />
        </select>
      </div>
      <button type="submit">{t("profile.save")}</button>
    </form>
  );
}

function PasswordForm({ me }: { me: User }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ kind: "error" | "success"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    const found: Record<string, string> = {};
    if (!current) found["current"] = t("validate.required");
    if (!validPassword(next)) found["next"] = t("validate.password");
    else if (next !== confirm) found["confirm"] = t("validate.passwordMatch");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setPending(true);
    try {
      await api.request<User>("PATCH", "/v1/users/me", { body: { password: next, current_password: current } });
      // A new password ends every session (refresh tokens are revoked): sign in again with it.
      await api.login(me.email, next);
      setCurrent("");
      setNext("");
      setConfirm("");
      setMessage({ kind: "success", text: t("profile.passwordChanged") });
    } catch (err) {
      setMessage({ kind: "error", text: errorSentence(i18n, err) });
    } finally {
      setPending(false);
    }
  };

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby="password-title">
      <h2 id="password-title">{t("profile.password")}</h2>
      {message && <Notice kind={message.kind}>{message.text}</Notice>}
      <input type="text" name="username" autoComplete="username" value={me.email} readOnly hidden />
      <Field
        label={t("profile.currentPassword")}
        type="password"
        autoComplete="current-password"
        value={current}
        error={errors["current"] ?? null}
        onChange={(e) => setCurrent(e.target.value)}
      />
      <Field
        label={t("profile.newPassword")}
        hint={t("register.passwordHint")}
        type="password"
        autoComplete="new-password"
        value={next}
        error={errors["next"] ?? null}
        onChange={(e) => setNext(e.target.value)}
      />
      <Field
        label={t("profile.confirmPassword")}
        type="password"
        autoComplete="new-password"
        value={confirm}
        error={errors["confirm"] ?? null}
        onChange={(e) => setConfirm(e.target.value)}
      />
      <button type="submit" disabled={pending}>
        {t("profile.changePassword")}
      </button>
    </form>
  );
}

function DeleteAccount({ me, onDeleted }: { me: User; onDeleted: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useSession();
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    if (typed.trim() !== me.username) {
      setError(t("profile.deleteMismatch"));
      return;
    }
    setPending(true);
    try {
      await api.request("DELETE", "/v1/users/me");
      dialog.current?.close();
      onDeleted();
    } catch (err) {
      setError(errorSentence(i18n, err));
      setPending(false);
    }
  };

  return (
    <section className="card danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">{t("profile.delete")}</h2>
      <p>{t("profile.deleteWarning")}</p>
      <button
        type="button"
        className="danger"
        onClick={() => {
          setTyped("");
          setError(null);
          dialog.current?.showModal();
        }}
      >
        {t("profile.deleteButton")}
      </button>
      <dialog ref={dialog} aria-labelledby="delete-dialog-title" aria-describedby="delete-dialog-text">
        <form onSubmit={confirm} noValidate>
          <h2 id="delete-dialog-title">{t("profile.deleteConfirmTitle")}</h2>
          <p id="delete-dialog-text">
            {t("profile.deleteWarning")} {t("profile.deleteConfirmText", { username: me.username })}
          </p>
          {error && <Notice kind="error">{error}</Notice>}
          <Field
            label={t("profile.deleteConfirmLabel")}
            autoComplete="off"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="danger" disabled={pending}>
              {t("profile.deleteConfirm")}
            </button>
            <button type="button" onClick={() => dialog.current?.close()}>
              {t("profile.deleteCancel")}
            </button>
          </div>
        </form>
      </dialog>
    </section>
  );
}
