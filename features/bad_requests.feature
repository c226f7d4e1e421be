Feature: Requests the server must refuse
  The vendor OpenAPI answers every failure with RESTExceptionInfo, a JSON object with a "message".
  A body that is not one of the page's three credential variants, a path id that is not a UUID,
  and a restore session or mailbox the server does not know are refused with an error status
  (4xx or 5xx, never 2xx) and such a body; real servers answer unknown ids with 404.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @should @BODY-MALFORMED
  Scenario Outline: A body that is not JSON or has properties of the wrong type is refused
    When a restore request is sent whose body is <body>
    Then the request is refused
    And the response body is a RESTExceptionInfo with a message

    @password
    Examples:
      | body                      |
      | not JSON                  |
      | the user name as a number |
      | the password as a boolean |

    @device-code
    Examples:
      | body                       |
      | the device code as a number |

    @certificate
    Examples:
      | body                             |
      | a certificate that is not Base64 |

  @should @BODY-ONE-VARIANT
  Scenario Outline: A body that is not exactly one complete credential variant is refused
    When a restore request is sent whose body is <body>
    Then the request is refused
    And the response body is a RESTExceptionInfo with a message

    Examples:
      | body                 |
      | an empty JSON object |

    @password
    Examples:
      | body                               |
      | the user name without its password |
      | the password without its user name |

    @password @device-code
    Examples:
      | body                                                   |
      | the user name and password mixed with the device code |

    @password @certificate
    Examples:
      | body                                                  |
      | the certificate mixed with the user name and password |

    @certificate
    Examples:
      | body                                    |
      | a certificate without its applicationId |

  @must @PATH-SESSION @password
  Scenario Outline: A restore session the server does not have is refused
    Given the URL names <session>
    When the mailbox is restored with the user name and password
    Then the request is refused

    Examples:
      | session                                    |
      | a restore session the server does not have |

  @must @PATH-MAILBOX @password
  Scenario: A mailbox the restore session does not hold is refused
    Given the URL names a mailbox the restore session does not hold
    When the mailbox is restored with the user name and password
    Then the request is refused

  @must @NO-FALSE-SUCCESS @password
  Scenario Outline: A restore that cannot have been carried out is never answered with a success
    Given the URL names <target>
    When the mailbox is restored with the user name and password
    Then the request is refused

    Examples:
      | target                                      |
      | a restore session the server does not have  |
      | a mailbox the restore session does not hold |
      | a restore session id that is not a UUID     |
      | a mailbox id that is not a UUID             |

  @should @PATH-NOT-FOUND @password
  Scenario Outline: An unknown restore session or mailbox is answered 404 with a message
    Given the URL names <unknown>
    When the mailbox is restored with the user name and password
    Then the request is refused with 404 Not Found
    And the response body is a RESTExceptionInfo with a message

    Examples:
      | unknown                                     |
      | a restore session the server does not have  |
      | a mailbox the restore session does not hold |

  @should @PATH-UUID @password
  Scenario Outline: A path id that is not a UUID is refused with a message
    Given the URL names <id>
    When the mailbox is restored with the user name and password
    Then the request is refused
    And the response body is a RESTExceptionInfo with a message

    Examples:
      | id                                      |
      | a restore session id that is not a UUID |
      | a mailbox id that is not a UUID         |

  @should @SESSION-STOPPED @device-code @starts-a-session
  Scenario: A restore session that has been stopped refuses a restore
    The suite starts a restore session of its own, finds the mailbox in it and stops it; one
    restore request follows. A conforming server restores nothing.

    Given a restore session that the suite has stopped, which held the mailbox to restore
    When the mailbox is restored with the device code
    Then the request is refused
    And the response body is a RESTExceptionInfo with a message
