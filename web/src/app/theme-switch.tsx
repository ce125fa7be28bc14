import { type ThemeChoice, useTheme } from "../lib/theme";

const CHOICES: Array<{ value: ThemeChoice; label: string }> = [
  { value: "system", label: "Auto" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

/** The theme choice; `labelled` shows its label (in the header's menu), otherwise only screen readers hear it. */
export function ThemeSwitch({ labelled = false }: { labelled?: boolean }) {
  const [choice, setChoice] = useTheme();
  return (
    <label className={labelled ? "small theme-switch" : "small"}>
      <span className={labelled ? undefined : "visually-hidden"}>Theme</span>
      <select
        value={choice}
        onChange={(event) => setChoice(event.target.value as ThemeChoice)}
        className="button-small"
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </label>
  );
}
