import { createContext, useContext, type ReactNode } from "react";
import { createTheme, type Theme } from "../theme.js";

const ThemeContext = createContext<Theme>(createTheme(true));

/** Gives the components below it their theme (colours, or none under NO_COLOR). */
export function ThemeProvider({
  theme,
  children,
}: {
  theme: Theme;
  children: ReactNode;
}): ReactNode {
  return <ThemeContext.Provider value={theme}>{children}</ThemeContext.Provider>;
}

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
