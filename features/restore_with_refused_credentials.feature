Feature: Exchange credentials the organization refuses
  The request body's properties authenticate the restore to the Exchange organization, in each of
  the page's three variants. A restore authenticated by credentials the organization refuses
  cannot run: the server refuses it with an error status and a RESTExceptionInfo body, never
  with a success. Real servers answer 500 Internal Server Error.

  Each property is shown to matter on its own: one property is changed, every other is right.
  Only the rows tagged @lockout-risk send the configured Exchange user a wrong password, which
  counts toward that account's lockout: on a live server they run only with
  VB365_PROBE_EXCHANGE_PASSWORD=1, and are "not checked" otherwise. Every other change locks out
  no account: the user does not exist (it gets the real password), the device code was never
  issued, or the certificate, its password, the application or the impersonation account is
  wrong. A lenient server could still restore with them: on a live server they run only with
  VB365_ALLOW_RESTORE=1. A conforming server refuses each, so they add no real restore.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @EXCHANGE-CREDENTIALS
  Scenario Outline: Each property of the credentials matters on its own
    With every other property of the variant right, one property with a wrong value, an empty
    string, or a value that belongs to another property is refused.

    When the mailbox is restored with the <variant> whose <property> is <value>
    Then the request is refused
    And the response body is a RESTExceptionInfo with a message

    @password
    Examples:
      | variant                | property | value                                                   |
      | user name and password | userName | a user that does not exist in the organization's domain |
      | user name and password | userName | an empty string                                         |
      | user name and password | userName | the application id                                      |

    @password @lockout-risk
    Examples: A wrong password for the configured user, only with VB365_PROBE_EXCHANGE_PASSWORD=1 on a live server
      | variant                | property     | value                    |
      | user name and password | userPassword | a wrong password         |
      | user name and password | userPassword | an empty string          |
      | user name and password | userPassword | the certificate password |

    @device-code
    Examples:
      | variant     | property | value                                 |
      | device code | userCode | a device code the server never issued |
      | device code | userCode | an empty string                       |
      | device code | userCode | the user name                         |

    @certificate
    Examples:
      | variant                 | property                       | value                                                    |
      | application certificate | applicationId                  | an application id the organization does not know         |
      | application certificate | applicationId                  | an empty string                                          |
      | application certificate | applicationCertificate         | another application's certificate, with its own password |
      | application certificate | applicationCertificate         | an empty string                                          |
      | application certificate | applicationCertificatePassword | a wrong password                                         |
      | application certificate | applicationCertificatePassword | an empty string                                          |
      | application certificate | impersonationAccountName       | an account that does not exist                           |
      | application certificate | impersonationAccountName       | an empty string                                          |

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
