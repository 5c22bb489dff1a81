"""The fault texts the sandbox answers with (the messages inside Yuki's faultstring).

"Invalid access key" is Yuki's known text (docs/vendors/yuki.md). The texts of the expired-session and
daily-limit faults are not public: these are our guesses, and `yuki_client.fault_texts` is the one
place that recognises them, so both change together once a real account shows the truth.
ASMX wraps every exception as "Server was unable to process request. ---> <message>".
"""

ASMX_PREFIX = "Server was unable to process request. ---> "

INVALID_ACCESS_KEY = "Invalid access key"
INVALID_LOGIN = "Invalid user name or password"
SESSION_EXPIRED = "Session expired or invalid. Authenticate again to get a new session ID."
DAILY_LIMIT = "The maximum number of API calls per day ({limit}) for this domain has been reached."
UNKNOWN_ADMINISTRATION = "Administration '{id}' not found or not accessible with this session."
UNKNOWN_DOMAIN = "Domain '{id}' not found or not accessible with this session."
UNKNOWN_ADMINISTRATION_NAME = "No administration named '{name}' in the current domain."
# A guess (Yuki's text is not public): the account a journal line names is not in the chart. Matched by
# yuki_client.fault_messages (the unknown-account refusal).
UNKNOWN_GL_ACCOUNT = "JournalEntry {number}: GL account '{code}' does not exist in administration '{id}'."
# Guesses (Yuki's texts are not public): GetTransactions asked for an end before its start, or a data
# group the sandbox does not know.
DATES_REVERSED = "The start date {start} is after the end date {end}."
UNKNOWN_DATA_GROUP = "Unknown data group '{name}'. Known data groups: {known}."
