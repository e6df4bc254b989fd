"""Length limits of free-text input, shared by the forms and the API serializers.

The model fields are TextFields (no database limit); these keep a pasted document or a
megabyte of junk out of a record, its timeline and every page that shows it."""

FACTS_MAX_LENGTH = 5000  # 基本事实 / 情况描述
ANSWER_MAX_LENGTH = 5000  # 答卷（处置情况）
NOTE_MAX_LENGTH = 2000  # 说明、理由、交办要求、办理结果、情况说明
COMMENT_MAX_LENGTH = 1000  # 群众评价意见 (rating_submit keeps at most this much)
FLAG_NOTE_MAX_LENGTH = 200  # 督办意见 (Dispute.flagged_note)
SEARCH_MAX_LENGTH = 200
