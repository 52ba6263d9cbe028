/** An agent failure with a stable code (`AGENT_…`) the CLIs print and tests match on. */
export class AgentError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}
