import { Type } from 'typebox';

/** What GitHub appends to the callback URL; other parameters are ignored. */
export const GithubCallbackQuery = Type.Object({
  code: Type.Optional(Type.String({ maxLength: 256, description: 'The authorization code' })),
  state: Type.Optional(Type.String({ maxLength: 256, description: 'The state hush sent to GitHub' })),
  error: Type.Optional(Type.String({ maxLength: 256, description: 'Set when the sign-in was refused' })),
  error_description: Type.Optional(Type.String({ maxLength: 1024 })),
  error_uri: Type.Optional(Type.String({ maxLength: 1024 })),
});

export const GithubExchangeBody = Type.Object(
  {
    github_token: Type.String({
      minLength: 1,
      maxLength: 255,
      // It travels in an Authorization header: printable ASCII only, or fetch refuses the header.
      pattern: '^[\\x21-\\x7e]+$',
      description: 'A GitHub token of the account (OAuth or personal) with the read:org scope',
    }),
  },
  { additionalProperties: false },
);
