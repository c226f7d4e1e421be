Feature: Exchange credentials the organization refuses
  The request body's properties authenticate the restore to the Exchange organization, in each of
  the page's three variants. A restore authenticated by credentials the organization refuses
  cannot run: the server refuses it with an error status and a RESTExceptionInfo body, never
  with a success. Real servers answer 500 Internal Server Error.

  The suite never sends a real account with a wrong password, so no real account is locked out:
  the user does not exist in the organization's domain, the device code was never issued, or the
  configured certificate comes with a wrong password, an application the organization does not
  know, or an impersonation account that does not exist. A lenient server could still restore
  with them: on a live server they run only with VB365_ALLOW_RESTORE=1.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @EXCHANGE-CREDENTIALS
  Scenario Outline: A restore with credentials the organization refuses is refused
    When the mailbox is restored with <credentials>
    Then the request is refused
    And the response body is a RESTExceptionInfo with a message

    @password
    Examples:
      | credentials                                              |
      | a user that does not exist in the organization's domain |

    @device-code
    Examples:
      | credentials                           |
      | a device code the server never issued |

    @certificate
    Examples:
      | credentials                                                                      |
      | the application certificate and a wrong certificate password                     |
      | the application certificate and an application id the organization does not know |
      | the application certificate and an impersonation account that does not exist      |

  @should @EXCHANGE-REFUSED
  Scenario Outline: Credentials the organization refuses are answered 500 with a message
    When the mailbox is restored with <credentials>
    Then the request is refused with 500 Internal Server Error
    And the response body is a RESTExceptionInfo with a message

    @password
    Examples:
      | credentials                                              |
      | a user that does not exist in the organization's domain |

    @device-code
    Examples:
      | credentials                           |
      | a device code the server never issued |

    @certificate
    Examples:
      | credentials                                                                      |
      | the application certificate and a wrong certificate password                     |
      | the application certificate and an application id the organization does not know |
      | the application certificate and an impersonation account that does not exist      |
