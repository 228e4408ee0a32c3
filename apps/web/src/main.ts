// Placeholder entry of the console (apps/web/README.md): replaced when the console is built.
export {};
