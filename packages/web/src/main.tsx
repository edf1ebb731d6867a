import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { i18nReady } from "./i18n/index.ts";
import "./styles.css";
import { App } from "./App.tsx";
import { hideIconNames } from "./lib/iconNames.ts";

const root = document.getElementById("root");
if (!root) throw new Error("#root is missing from index.html");
hideIconNames(root);
void i18nReady.then(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
