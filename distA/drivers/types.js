// Public types of the sonde driver (the contract the agent codes against; see docs/sonde-driver.md).
export {};
//# sourceMappingURL=types.js.map