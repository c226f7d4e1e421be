@password
Feature: The authorization header
  "The request header must contain an authorization token of the current session."
  A request without one must not restore anything. Real servers answer such a request with
  401 Unauthorized.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @AUTH-TOKEN
  Scenario Outline: A restore request without a token of the current session is refused
    Given the authorization header <header>
    When the mailbox is restored with the user name and password
    Then the request is refused

    Examples:
      | header                                |
      | is missing                            |
      | holds a malformed token               |
      | holds a token the server never issued |

  @should @AUTH-401
  Scenario Outline: The refusal is 401 Unauthorized
    Given the authorization header <header>
    When the mailbox is restored with the user name and password
    Then the request is refused with 401 Unauthorized

    Examples:
      | header                                |
      | is missing                            |
      | holds a malformed token               |
      | holds a token the server never issued |
