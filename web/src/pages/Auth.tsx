// Sign in and create an account.
import { useState, type FormEvent } from "react";
import { Link } from "wouter";
import { errorSentence } from "../api/errors";
import { Field } from "../app/Field";
import { Notice, Page } from "../app/Page";
import { useSession } from "../app/session";
import { EMAIL, USERNAME, validPassword } from "../app/validation";
import { useI18n } from "../i18n/I18n";

export function LoginPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, notice, setNotice } = useSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    if (!email.trim() || !password) {
      setError(t("validate.required"));
      return;
    }
    setPending(true);
    setError(null);
    try {
      await api.login(email.trim(), password);
    } catch (err) {
      setError(errorSentence(i18n, err));
      setPending(false);
    }
  };

  return (
    <Page title={t("login.title")}>
      <p className="lead">{t("app.tagline")}</p>
      {notice && <Notice kind="info">{t(notice)}</Notice>}
      <form className="card form" onSubmit={submit} noValidate>
        <p>{t("login.intro")}</p>
        {error && <Notice kind="error">{error}</Notice>}
        <Field
          label={t("login.email")}
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          label={t("login.password")}
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="primary" disabled={pending}>
          {pending ? t("login.pending") : t("login.submit")}
        </button>
        <p>
          {t("login.noAccount")} <Link href="/register">{t("login.register")}</Link>
        </p>
      </form>
    </Page>
  );
}

export function RegisterPage() {
  const i18n = useI18n();
  const { t, lang } = i18n;
  const { api, setNotice } = useSession();
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const found: Record<string, string> = {};
    if (!USERNAME.test(username)) found["username"] = t("validate.username");
    if (!EMAIL.test(email.trim())) found["email"] = t("validate.email");
    if (!validPassword(password)) found["password"] = t("validate.password");
    setErrors(found);
    if (Object.keys(found).length > 0) {
      setError(null);
      document.getElementById(`register-${Object.keys(found)[0]}`)?.focus();
      return;
    }
    setPending(true);
    setError(null);
    try {
      await api.register(username, email.trim(), password, lang);
    } catch (err) {
      setError(errorSentence(i18n, err));
      setPending(false);
    }
  };

  return (
    <Page title={t("register.title")}>
      <p className="lead">{t("app.tagline")}</p>
      <form className="card form" onSubmit={submit} noValidate>
        <p>{t("register.intro")}</p>
        {error && <Notice kind="error">{error}</Notice>}
        <Field
          id="register-username"
          label={t("register.username")}
          hint={t("register.usernameHint")}
          error={errors["username"] ?? null}
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <Field
          id="register-email"
          label={t("register.email")}
          error={errors["email"] ?? null}
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        <Field
          id="register-password"
          label={t("register.password")}
          hint={t("register.passwordHint")}
          error={errors["password"] ?? null}
          type="password"
          name="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="primary" disabled={pending}>
          {pending ? t("register.pending") : t("register.submit")}
        </button>
        <p>
          {t("register.haveAccount")} <Link href="/login">{t("register.login")}</Link>
        </p>
      </form>
    </Page>
  );
}
