@password
Feature: The authorization header
  "The request header must contain an authorization token of the current session."
  A request without one must not restore anything: only the access token the current session's
  sign-in gave, unexpired, under the Bearer scheme (the OpenAPI's security scheme; its name is
  case-insensitive, RFC 9110 §11.1) is one. Its refresh token is not, nor the access token under
  another scheme or none, nor one whose lifetime (expires_in) has passed. Real servers answer such
  a request with 401 Unauthorized, and a 401 carries a challenge, WWW-Authenticate (RFC 9110
  §11.6.1). The refresh token and the expired token come from a sign-in of the scenario's own;
  a live server's token is let expire only when its expires_in is no longer than the timeout.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @AUTH-TOKEN
  Scenario Outline: A restore request without a token of the current session is refused
    Given the authorization header <header>
    When the mailbox is restored with the user name and password
    Then the request is refused

    Examples:
      | header                                                         |
      | is missing                                                     |
      | holds a malformed token                                        |
      | holds a token the server never issued                          |
      | holds the token of the current session under the Basic scheme |
      | holds the token of the current session without a scheme       |

    @refresh-token
    Examples: The refresh token, which only a sign-in gives
      | header                                          |
      | holds the refresh token of the current session |

    @token-expiry
    Examples: A token whose lifetime passed
      | header                                                |
      | holds a token of the current session that has expired |

  @should @AUTH-401
  Scenario Outline: The refusal is 401 Unauthorized
    Given the authorization header <header>
    When the mailbox is restored with the user name and password
    Then the request is refused with 401 Unauthorized

    Examples:
      | header                                                         |
      | is missing                                                     |
      | holds a malformed token                                        |
      | holds a token the server never issued                          |
      | holds the token of the current session under the Basic scheme |
      | holds the token of the current session without a scheme       |

    @refresh-token
    Examples: The refresh token, which only a sign-in gives
      | header                                          |
      | holds the refresh token of the current session |

    @token-expiry
    Examples: A token whose lifetime passed
      | header                                                |
      | holds a token of the current session that has expired |
