// Stand-in for the 'server-only' marker package when code runs under vitest or tsx.
export {};
