import { Link } from "wouter";
import { Page } from "../app/Page";
import { useI18n } from "../i18n/I18n";

export function NotFoundPage() {
  const { t } = useI18n();
  return (
    <Page title={t("notFound.title")}>
      <p>{t("notFound.text")}</p>
      <p>
        <Link href="/">{t("notFound.home")}</Link>
      </p>
    </Page>
  );
}
