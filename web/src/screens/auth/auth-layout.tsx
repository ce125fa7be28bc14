import type { ReactNode } from "react";
import { ThemeSwitch } from "../../app/theme-switch";

/** Sign-in and setup: one card, no navigation. */
export function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <>
      <header className="shell-header">
        <span className="brand">
          <img src={`${import.meta.env.BASE_URL}favicon.svg`} alt="" />
          <span className="brand-name">Runsheet</span>
        </span>
        <div className="shell-tools">
          <ThemeSwitch />
        </div>
      </header>
      <main id="main" className="shell-main">
        <div className="auth-card panel">{children}</div>
      </main>
    </>
  );
}
