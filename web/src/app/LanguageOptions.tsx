// The <option>s of a language select, each named in its own language.
import { useI18n } from "../i18n/I18n";
import { LANGUAGES } from "../i18n/translate";

export function LanguageOptions() {
  const { t } = useI18n();
  return (
    <>
      {LANGUAGES.map((l) => (
        <option key={l} value={l} lang={l}>
          {t(`lang.${l}`)}
        </option>
      ))}
    </>
  );
}
