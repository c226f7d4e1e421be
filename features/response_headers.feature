Feature: Response code and headers
  "A successfully completed operation returns a response code 200 OK." The response contains a
  Content-length header, the length of the response body, and a Content-type header. The page
  gives application/octet-stream as the media type of export and save, and "null" for restore;
  the vendor OpenAPI declares the 200 body as application/json. See the spec notes (docs/requirements.md).
  Every credential variant's successful answer is checked.

  Background:
    Given an authorization token of the current session
    And a restore session that holds the mailbox to restore

  @must @RESP-200
  Scenario Outline: A successful restore answers 200 OK
    When the mailbox is restored with the <variant>
    Then the response code is 200 OK

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |

  @must @HDR-CONTENT-LENGTH
  Scenario Outline: Content-Length is the length of the response body
    When the mailbox is restored with the <variant>
    Then the response has a Content-Length equal to the length of its body

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |

  @must @HDR-CONTENT-TYPE
  Scenario Outline: Content-Type is present and is not the export and save media type
    When the mailbox is restored with the <variant>
    Then the response has a Content-Type, and it is not application/octet-stream

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |

  @should @HDR-CONTENT-TYPE-JSON
  Scenario Outline: Content-Type is application/json
    When the mailbox is restored with the <variant>
    Then the response's Content-Type is application/json

    @password
    Examples:
      | variant                |
      | user name and password |

    @device-code
    Examples:
      | variant     |
      | device code |

    @certificate
    Examples:
      | variant                 |
      | application certificate |
