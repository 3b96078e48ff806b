// The kinds of update the bot asks Telegram for, the same whether it polls or takes a webhook:
// texts and commands (message) and button presses (callback_query). Anything else is never sent.
export const TELEGRAM_ALLOWED_UPDATES = ["message", "callback_query"] as const;
