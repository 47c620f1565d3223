// A labelled form field with its hint and its error wired for assistive technology. A password
// field has a button that shows what was typed (typing on a phone's keyboard is error-prone).
import { useId, useState, type InputHTMLAttributes } from "react";
import { useI18n } from "../i18n/I18n";

interface Props extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
  hint?: string;
  error?: string | null;
}

export function Field({ label, hint, error, id, type, ...input }: Props) {
  const { t } = useI18n();
  const auto = useId();
  const [shown, setShown] = useState(false);
  const fieldId = id ?? auto;
  const hintId = hint ? `${fieldId}-hint` : undefined;
  const errorId = error ? `${fieldId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const password = type === "password";
  const control = (
    <input
      id={fieldId}
      type={password && shown ? "text" : type}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy}
      {...input}
    />
  );
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={fieldId}>{label}</label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {password ? (
        <div className="password-wrap">
          {control}
          <button
            type="button"
            className="reveal"
            aria-controls={fieldId}
            aria-pressed={shown}
            onClick={() => setShown((s) => !s)}
          >
            {t("field.showPassword")}
          </button>
        </div>
      ) : (
        control
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
