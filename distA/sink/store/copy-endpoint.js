export {};
//# sourceMappingURL=copy-endpoint.js.map