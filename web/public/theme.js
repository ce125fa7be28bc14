// Applies the theme chosen in the app (light or dark) before the first paint; "system" follows the OS.
(() => {
  try {
    const theme = localStorage.getItem("runsheet.theme");
    if (theme === "light" || theme === "dark") document.documentElement.dataset.theme = theme;
  } catch {
    // No storage (private mode): the system setting applies.
  }
})();
